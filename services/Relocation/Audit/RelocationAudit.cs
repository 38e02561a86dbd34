using Marten;
using Protection.Relocations.Cases;
using Protection.Contracts.Relocation;
using Protection.Relocations.Relocations;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
namespace Protection.Relocations.Audit;

public sealed record RelocationStateAt(
    Guid RelocationId,
    RelocationState State,
    RelocationKind Kind,
    DateTimeOffset? NextCheckInDueAt,
    RelocationOutcome? Outcome,
    long Version);

/// <summary>Relocation's part of the case view at a moment: the case's relocations as they stood.</summary>
public sealed record RelocationAuditState(int InProgress, IReadOnlyList<RelocationStateAt> Relocations);

/// <summary>
/// Relocation's part of a case's audit: one stream per relocation of the case. Each event describes
/// itself; destinations, plans and notes are sealed and never part of a line.
/// </summary>
public sealed class RelocationAudit : ICaseAuditSource
{
    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(
        IQuerySession session, Guid caseId, CancellationToken cancellationToken)
    {
        var ids = await session.Query<Relocation>()
            .Where(r => r.CaseId == caseId)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        return ids.Select(id => new AuditedStream(id, "relocation")).ToArray();
    }

    /// <summary>The organisation that owns the case, as relocation learned it from intake.</summary>
    public async Task<string?> OwnerAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        (await session.LoadAsync<CaseRecord>(caseId, cancellationToken))?.Organisation;

    public async Task<object?> StateAsync(
        IQuerySession session,
        Guid caseId,
        IReadOnlyList<AuditedStream> streams,
        DateTimeOffset? asOf,
        CancellationToken cancellationToken)
    {
        var relocations = await AuditState.FoldEachAsync<Relocation, RelocationStateAt>(
            session,
            streams,
            "relocation",
            asOf,
            r => new RelocationStateAt(r.Id, r.State, r.Kind, r.NextCheckInDueAt, r.Outcome, r.Version),
            cancellationToken);
        return relocations.Count == 0
            ? null
            : new RelocationAuditState(relocations.Count(r => r.State != RelocationState.Closed), relocations);
    }
}
