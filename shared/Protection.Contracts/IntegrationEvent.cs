namespace Protection.Contracts;

/// <summary>
/// Who did what, when, and why: carried by every integration event so that a consumer can
/// continue the causal chain (its own events get <see cref="CausationId"/> = this event's id)
/// and an auditor can follow one request across services.
/// </summary>
/// <param name="EventId">
/// Unique id of this integration event; also the broker message id, so redeliveries are recognised.
/// </param>
/// <param name="OccurredAt">When the fact happened in the publishing service.</param>
/// <param name="Actor">
/// Pseudonymous user id of the staff member (never a defender), or <c>system:&lt;job&gt;</c>.
/// </param>
/// <param name="ActorRole">The role the actor acted in.</param>
/// <param name="CorrelationId">The id of the originating request, shared by everything it caused.</param>
/// <param name="CausationId">The id of the event or request that directly caused this one.</param>
public sealed record EventMetadata(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Actor,
    string ActorRole,
    string CorrelationId,
    string CausationId);

/// <summary>
/// An integration event: a past-tense fact about one protection case, published after it was committed.
/// Carries the case id and the pseudonymous reference only, never names, contacts or exact locations.
/// </summary>
public interface IIntegrationEvent
{
    Guid CaseId { get; }

    string CaseReference { get; }

    EventMetadata Metadata { get; }
}
