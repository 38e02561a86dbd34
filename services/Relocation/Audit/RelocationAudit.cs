using JasperFx.Events;
using Marten;
using Protection.Contracts.Relocation;
using Protection.Relocations.Relocations;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
namespace Protection.Relocations.Audit;

public sealed record RelocationStateAt(Guid RelocationId, RelocationState State, RelocationKind Kind, DateTimeOffset? NextCheckInDueAt, RelocationOutcome? Outcome, long Version);

/// <summary>Relocation's part of the case view at a moment: the case's relocations as they stood.</summary>
public sealed record RelocationAuditState(int InProgress, IReadOnlyList<RelocationStateAt> Relocations);

/// <summary>Relocation's part of a case's audit: one stream per relocation of the case. Destinations, plans and notes are sealed and never part of a line.</summary>
public sealed class RelocationAudit : ICaseAuditSource
{
    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken)
    {
        var ids = await session.Query<Relocation>().Where(r => r.CaseId == caseId).Select(r => r.Id).ToListAsync(cancellationToken);
        return ids.Select(id => new AuditedStream(id, "relocation")).ToArray();
    }

    public string Describe(IEvent @event) => @event.Data switch
    {
        Relocations.RelocationRequested e => $"Relocation requested by {e.RequestedBy}: {e.Kind} ({e.Reason}), {e.FamilyMembers} family member(s) of whom {e.Children} children; check-ins every {e.CheckInEvery.TotalDays:0} days" + (e.WasRecommended ? "; triage had recommended it" : string.Empty),
        RelocationPlanned e => $"Planned by {e.By}: stay {e.StartOn:yyyy-MM-dd} to {e.EndOn:yyyy-MM-dd} (destination, host and plans sealed)",
        FundingReceived e => $"Funding received: grant {e.GrantId}, tranche {e.Tranche}, {e.Amount} {e.Currency}",
        RelocationFunded e => $"Funded by grant {e.GrantId}",
        RelocationDeparted e => $"Departed (recorded by {e.By}); first check-in due {e.NextCheckInDueAt:u}",
        RelocationArrived e => $"Arrived (recorded by {e.By})",
        Relocations.CheckInRecorded e => $"Check-in: {e.Status} (recorded by {e.By}); next due {e.NextDueAt:u}",
        CheckInMissedFlagged e => $"Check-in missed: it was due {e.DueAt:u}",
        Relocations.StayExtended e => $"Stay extended by {e.By}: {e.From:yyyy-MM-dd} → {e.EndOn:yyyy-MM-dd} (reason recorded)",
        StayEndingFlagged e => $"Stay ends soon: {e.EndOn:yyyy-MM-dd}",
        DefenderReturned e => $"Returned (recorded by {e.By})",
        DefenderResettled e => $"Resettled (recorded by {e.By})",
        Relocations.RelocationClosed e => $"Closed by {e.By}: {e.Outcome}",
        _ => AuditText.Humanize(@event.EventType.Name),
    };

    public async Task<object?> StateAsync(IQuerySession session, Guid caseId, IReadOnlyList<AuditedStream> streams, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var relocations = await AuditState.FoldEachAsync<Relocation, RelocationStateAt>(
            session, streams, "relocation", asOf,
            r => new RelocationStateAt(r.Id, r.State, r.Kind, r.NextCheckInDueAt, r.Outcome, r.Version),
            cancellationToken);
        return relocations.Count == 0 ? null : new RelocationAuditState(relocations.Count(r => r.State != RelocationState.Closed), relocations);
    }
}
