using Marten;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Grants;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
namespace Protection.EmergencyAssistance.Audit;

public sealed record GrantState(
    Guid GrantId,
    GrantStatus Status,
    Contracts.Assistance.GrantCategory Category,
    string Currency,
    decimal Requested,
    decimal? Approved,
    decimal Disbursed,
    long Version);

/// <summary>Emergency assistance's part of the case view at a moment: the case's grants as they stood.</summary>
public sealed record AssistanceState(int OpenGrants, IReadOnlyList<GrantState> Grants);

/// <summary>
/// Emergency assistance's part of a case's audit: one stream per grant of the case, each event with its
/// own line. The funds the grants drew on are verified too (their chains hold the reservations), but
/// their events are other cases' as well, so they stay out of the case's history.
/// </summary>
public sealed class AssistanceAudit : ICaseAuditSource
{
    private static readonly GrantStatus[] Ended = [GrantStatus.Reported, GrantStatus.Rejected, GrantStatus.Withdrawn];

    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(
        IQuerySession session, Guid caseId, CancellationToken cancellationToken)
    {
        var grants = await session.Query<Grant>().Where(g => g.CaseId == caseId).ToListAsync(cancellationToken);
        return grants.Select(g => new AuditedStream(g.Id, "grant"))
            .Concat(grants.Select(g => g.FundId).Distinct().Select(f => new AuditedStream(f, "fund", InHistory: false)))
            .ToArray();
    }

    /// <summary>The organisation that owns the case, as emergency assistance learned it from intake.</summary>
    public async Task<string?> OwnerAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        (await session.LoadAsync<CaseRecord>(caseId, cancellationToken))?.Organisation;

    public async Task<object?> StateAsync(
        IQuerySession session,
        Guid caseId,
        IReadOnlyList<AuditedStream> streams,
        DateTimeOffset? asOf,
        CancellationToken cancellationToken)
    {
        var grants = await AuditState.FoldEachAsync<Grant, GrantState>(
            session,
            streams,
            "grant",
            asOf,
            g => new GrantState(
                g.Id, g.Status, g.Category, g.Currency, g.RequestedAmount, g.ApprovedAmount, g.Disbursed, g.Version),
            cancellationToken);
        return grants.Count == 0 ? null : new AssistanceState(grants.Count(g => !Ended.Contains(g.Status)), grants);
    }
}
