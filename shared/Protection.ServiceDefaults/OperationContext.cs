using Protection.Contracts;

namespace Protection.ServiceDefaults;

/// <summary>
/// Who is acting, on behalf of which request. Set once per HTTP request (from the token and the
/// correlation header) and once per consumed message (from the message's metadata), then read by
/// the event store so that every appended event records its actor and causal chain without each
/// handler having to remember to pass them along.
/// </summary>
public sealed record OperationContext(string Actor, string ActorRole, string CorrelationId, string CausationId)
{
    private static readonly AsyncLocal<OperationContext?> Ambient = new();

    /// <summary>Background work that no person started (relays, detectors) acts as this.</summary>
    public static OperationContext System(string job) =>
        new($"system:{job}", "system", Guid.CreateVersion7().ToString(), Guid.Empty.ToString());

    public static OperationContext? Current => Ambient.Value;

    /// <summary>Makes <paramref name="context"/> current until the returned scope is disposed.</summary>
    public static IDisposable Begin(OperationContext context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Restore(previous);
    }

    /// <summary>Metadata for an integration event caused by the current operation.</summary>
    public EventMetadata ToEventMetadata(DateTimeOffset occurredAt) =>
        new(Guid.CreateVersion7(), occurredAt, Actor, ActorRole, CorrelationId, CausationId);

    private sealed class Restore(OperationContext? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}

public static class EventMetadataExtensions
{
    /// <summary>
    /// The same facts under a new id, for an event's second message: the outbox and the broker know a
    /// message by its id, so two messages never share one.
    /// </summary>
    public static EventMetadata Another(this EventMetadata metadata) =>
        metadata with { EventId = Guid.CreateVersion7() };
}
