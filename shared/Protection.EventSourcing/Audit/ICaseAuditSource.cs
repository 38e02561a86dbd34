using JasperFx.Events;
using Marten;

using Protection.ServiceDefaults.Audit;

namespace Protection.EventSourcing.Audit;

/// <summary>A stream of this service's store that holds events of a case.</summary>
/// <param name="Kind">
/// What the stream is: <c>case</c>, <c>grant</c>, <c>fund</c>, <c>relocation</c>, <c>access-log</c>.
/// </param>
/// <param name="InHistory">
/// False for streams that are only verified (a fund shared by many cases, the access log).
/// </param>
public sealed record AuditedStream(Guid Id, string Kind, bool InHistory = true);

/// <summary>
/// What a service contributes to a case's audit: which of its streams hold the case, a readable
/// line per event (built from non-identifying facts only), and its part of the case view folded
/// from events up to a moment.
/// </summary>
public interface ICaseAuditSource
{
    /// <summary>
    /// True for the service that opens cases (intake): a case it has no stream for does not exist (404).
    /// </summary>
    bool OwnsCases => false;

    /// <summary>
    /// The service's streams that hold events of the case (the access log is added by the audit module).
    /// </summary>
    Task<IReadOnlyList<AuditedStream>> StreamsAsync(
        IQuerySession session, Guid caseId, CancellationToken cancellationToken);

    /// <summary>
    /// The organisation that owns the case, read from this service's own copy of it (null when the service
    /// does not know it, or not yet). The audit endpoints answer only the owner's supervisors (history) and
    /// the auditors whose body audits the owner (<see cref="CaseAuditRule"/>).
    /// </summary>
    Task<string?> OwnerAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken);

    /// <summary>One line for an auditor. Never a name, contact, location or free text.</summary>
    string Describe(IEvent @event) => AuditText.Describe(@event);

    /// <summary>
    /// The service's part of the case view as it was at <paramref name="asOf"/> (now when null), rebuilt from the
    /// events; now, it may be read from an inline projection instead (committed in the same transaction as every
    /// event, so the fold of them all). Null when the service did not know the case then.
    /// </summary>
    Task<object?> StateAsync(
        IQuerySession session,
        Guid caseId,
        IReadOnlyList<AuditedStream> streams,
        DateTimeOffset? asOf,
        CancellationToken cancellationToken);
}

public static class AuditState
{
    /// <summary>
    /// Folds each stream of <paramref name="kind"/> up to <paramref name="asOf"/>; streams not yet started
    /// then are left out.
    /// </summary>
    public static async Task<IReadOnlyList<TView>> FoldEachAsync<T, TView>(
        IQuerySession session,
        IEnumerable<AuditedStream> streams,
        string kind,
        DateTimeOffset? asOf,
        Func<T, TView> view,
        CancellationToken cancellationToken)
        where T : class
    {
        var views = new List<TView>();
        foreach (var stream in streams.Where(s => s.Kind == kind))
        {
            if (await session.Events.AggregateStreamAsync<T>(
                    stream.Id, timestamp: asOf, token: cancellationToken) is { } folded)
            {
                views.Add(view(folded));
            }
        }

        return views;
    }
}
