using Marten;
using JasperFx;
using MassTransit;
using Protection.Contracts;

using Protection.EventSourcing;
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
        var caseLock = StripedLocks.Cases.For(context.Message.CaseId);
        await caseLock.WaitAsync(context.CancellationToken);
        try
        {
            await HandleOnce(context);
        }
        finally
        {
            caseLock.Release();
        }
    }

    private async Task HandleOnce(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? context.Message.Metadata.EventId;
        var marker = $"{GetType().Name}:{messageId:N}";
        var metadata = context.Message.Metadata;
        using var _ = OperationContext.Begin(new OperationContext(
            Actor: $"system:{GetType().Name}",
            ActorRole: "system",
            CorrelationId: metadata.CorrelationId,
            CausationId: metadata.EventId.ToString()));

        // Handled optimistically, in one transaction: the marker's unique id makes a copy handled before (or
        // at the same moment) fail at the commit, and only then is the marker looked up. A first delivery, by
        // far the usual one, costs no read of its own.
        try
        {
            await using var session = store.LightweightSession();
            await session.BeginTransactionAsync(context.CancellationToken);
            await Handle(session, context.Message, context.CancellationToken);
            session.Insert(new ProcessedMessage { Id = marker, ProcessedAt = Clock.GetUtcNow() });
            await session.SaveChangesAsync(context.CancellationToken);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            // A copy committed first (its effects stand, ours were rolled back), or this is a real failure
            // that MassTransit retries.
            if (!await HandledBeforeAsync(marker, context.CancellationToken))
            {
                throw;
            }
        }
    }

    private async Task<bool> HandledBeforeAsync(string marker, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<ProcessedMessage>(marker, cancellationToken) is not null;
    }

    /// <summary>
    /// Applies the message to <paramref name="session"/>; the base commits it together with the marker.
    /// </summary>
    protected abstract Task Handle(IDocumentSession session, TMessage message, CancellationToken cancellationToken);
}
