using JasperFx.Events;
using Marten;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.ServiceDefaults.Audit;

namespace Protection.EmergencyAssistance.Audit;

public sealed record GrantState(Guid GrantId, GrantStatus Status, Contracts.Assistance.GrantCategory Category, string Currency, decimal Requested, decimal? Approved, decimal Disbursed, long Version);

/// <summary>Emergency assistance's part of the case view at a moment: the case's grants as they stood.</summary>
public sealed record AssistanceState(int OpenGrants, IReadOnlyList<GrantState> Grants);

/// <summary>
/// Emergency assistance's part of a case's audit: one stream per grant of the case. The funds the
/// grants drew on are verified too (their chains hold the reservations), but their events are other
/// cases' as well, so they stay out of the case's history.
/// </summary>
public sealed class AssistanceAudit : ICaseAuditSource
{
    private static readonly GrantStatus[] Ended = [GrantStatus.Reported, GrantStatus.Rejected, GrantStatus.Withdrawn];

    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken)
    {
        var grants = await session.Query<Grant>().Where(g => g.CaseId == caseId).ToListAsync(cancellationToken);
        return grants.Select(g => new AuditedStream(g.Id, "grant"))
            .Concat(grants.Select(g => g.FundId).Distinct().Select(f => new AuditedStream(f, "fund", InHistory: false)))
            .ToArray();
    }

    public string Describe(IEvent @event) => @event.Data switch
    {
        GrantRequestFiled e => $"Grant requested by {e.RequestedBy}: {e.Amount} {e.Currency} for {e.Category} from fund {e.FundId}, {e.PeopleCovered} covered; decision due {e.DecisionDueAt:u}",
        ApprovalGiven e => $"Approved by {e.Funder} for {e.Amount}; another funder's approval is needed",
        GrantAwarded e => $"Approved by {e.Funder}: {e.Granted} granted and reserved (approvers: {string.Join(", ", e.Approvers)})",
        GrantDeclined e => $"Rejected by {e.Funder} (reason recorded)",
        GrantRequestWithdrawn e => $"Withdrawn by {e.By}; {e.Released} released to the fund",
        TrancheDisbursed e => $"Tranche {e.Tranche} paid by {e.By}: {e.Amount}" + (e.ReportDueAt is { } due ? $"; report due {due:u}" : string.Empty),
        ReportSubmitted e => $"Accountability report by {e.By}: {e.Spent} spent",
        DecisionOverdueFlagged e => $"Decision overdue: it was due {e.DueAt:u}",
        ReportOverdueFlagged e => $"Accountability report overdue: it was due {e.DueAt:u}",
        _ => AuditText.Humanize(@event.EventType.Name),
    };

    public async Task<object?> StateAsync(IQuerySession session, Guid caseId, IReadOnlyList<AuditedStream> streams, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var grants = await AuditState.FoldEachAsync<Grant, GrantState>(
            session, streams, "grant", asOf,
            g => new GrantState(g.Id, g.Status, g.Category, g.Currency, g.RequestedAmount, g.ApprovedAmount, g.Disbursed, g.Version),
            cancellationToken);
        return grants.Count == 0 ? null : new AssistanceState(grants.Count(g => !Ended.Contains(g.Status)), grants);
    }
}
