using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Protection.Contracts;
using Protection.ServiceDefaults.Messaging;

namespace Protection.ServiceDefaults.EventStore;

/// <summary>An event with a line for the auditor: built from non-identifying facts only, never sealed text.</summary>
public interface IDescribed
{
    string Describe();
}

/// <summary>The event that starts a stream of <typeparamref name="TState"/>: the state it creates.</summary>
public interface IStartOf<out TState> : IDescribed
    where TState : class
{
    TState Start();
}

/// <summary>
/// An event of a stream of <typeparamref name="TState"/>: what it does to the state. With
/// <see cref="IDescribed"/> and <see cref="IPublishedAs{TState}"/>, everything an event type means is
/// written once, in the event, instead of in a switch per concern.
/// </summary>
public interface IEventOf<TState> : IDescribed
    where TState : class
{
    TState Apply(TState state);
}

/// <summary>
/// An event other services hear of: the integration events it publishes, from the state after it. A
/// second message of the same event takes <c>metadata.Another()</c>: messages are known by their id.
/// </summary>
public interface IPublishedAs<in TState>
    where TState : class
{
    IEnumerable<IIntegrationEvent> Published(TState after, long version, EventMetadata metadata);
}

/// <summary>
/// The aggregate of a stream whose events apply themselves: Marten folds it (inline, for
/// read-your-writes, and for every <c>AggregateStreamAsync</c>, the auditor's time travel included)
/// by calling each event's own <see cref="IEventOf{TState}.Apply"/>. Events of other types leave it as it was.
/// </summary>
public sealed class SelfApplyingProjection<TState> : SingleStreamProjection<TState, Guid>
    where TState : class
{
    public override TState? Evolve(TState? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, IStartOf<TState> start) => start.Start(),
        ({ } state, IEventOf<TState> change) => change.Apply(state),
        _ => snapshot,
    };
}

/// <summary>Appends events that apply themselves, and queues what they publish in the same transaction (the outbox).</summary>
public static class StreamChanges
{
    /// <summary>Appends <paramref name="events"/> and returns the state after them; each publishes with the stream's new version.</summary>
    public static TState Append<TState>(IDocumentSession session, IEventStream<TState> stream, IReadOnlyList<object> events, DateTimeOffset now)
        where TState : class
    {
        var before = stream.Aggregate ?? throw new InvalidOperationException("Append to a stream that exists; start new ones with Start.");
        stream.AppendMany(events);
        var after = events.Aggregate(before, (state, e) => e is IEventOf<TState> change ? change.Apply(state) : state);
        Publish(session, after, events, stream.CurrentVersion ?? 0, now);
        return after;
    }

    /// <summary>Starts the stream <paramref name="id"/> with <paramref name="started"/> and what follows it.</summary>
    public static TState Start<TState>(IDocumentSession session, Guid id, IStartOf<TState> started, IReadOnlyList<object> more, DateTimeOffset now)
        where TState : class
    {
        session.Events.StartStream<TState>(id, [started, .. more]);
        var after = more.Aggregate(started.Start(), (state, e) => e is IEventOf<TState> change ? change.Apply(state) : state);
        Publish(session, after, [started, .. more], 1 + more.Count, now);
        return after;
    }

    private static void Publish<TState>(IDocumentSession session, TState after, IEnumerable<object> events, long version, DateTimeOffset now)
        where TState : class
    {
        foreach (var published in events.OfType<IPublishedAs<TState>>())
        {
            foreach (var message in published.Published(after, version, OperationContext.Current!.ToEventMetadata(now)))
            {
                session.PublishAfterCommit(message);
            }
        }
    }
}
