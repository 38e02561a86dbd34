using Marten;
using MassTransit;
using Protection.Contracts;

namespace Protection.EventSourcing.Messaging;

/// <summary>
/// Marks a message as handled by one consumer. Written in the same transaction as the consumer's changes.
/// </summary>
public sealed class ProcessedMessage
{
    /// <summary><c>{consumer}:{message id}</c>.</summary>
    public string Id { get; set; } = string.Empty;

    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>
/// Base for consumers that change state: the message's effects and the "handled" marker commit in
/// one Marten transaction, so a redelivered message (broker redelivery, outbox re-publish) changes
/// nothing twice, even when two copies are handled at the same moment.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(IDocumentStore store, TimeProvider clock) : IConsumer<TMessage>
    where TMessage : class, IIntegrationEvent
{
    /// <summary>The clock, for handlers that need "now".</summary>
    protected TimeProvider Clock { get; } = clock;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        // Messages about one case are handled one at a time in this process, whatever their type (they
        // arrive on several queues at once, e.g. TriageStarted and RiskAssessed), so they do not race
        // for the same stream version; a conflict with another process is retried by MassTransit.
        using var held = await StripedLocks.Cases.AllAsync([context.Message.CaseId], context.CancellationToken);
        await HandleOnce(context);
    }

    private Task HandleOnce(ConsumeContext<TMessage> context) =>
        ProcessedMessages.HandleOnceAsync(
            store,
            Clock,
            GetType().Name,
            context,
            session => Handle(session, context.Message, context.CancellationToken));

    /// <summary>
    /// Applies the message to <paramref name="session"/>; the base commits it together with the marker.
    /// </summary>
    protected abstract Task Handle(IDocumentSession session, TMessage message, CancellationToken cancellationToken);
}
