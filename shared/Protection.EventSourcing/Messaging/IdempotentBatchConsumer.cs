using Marten;
using MassTransit;
using Protection.Contracts;
using Protection.ServiceDefaults;

namespace Protection.EventSourcing.Messaging;

/// <summary>
/// Base for consumers that only change documents (no events, no messages), e.g. a service's copy of the
/// facts of a case: messages come in batches (<see cref="MessagingSetup.AddBatchConsumer{TConsumer}"/>),
/// and a batch's changes and its "handled" markers commit in one transaction. Under load that is one
/// transaction for many messages instead of one each; alone, a message waits at most the batch's time limit.
/// When the batch's transaction fails (a copy handled before, a version conflict), each message is handled
/// on its own as <see cref="IdempotentConsumer{TMessage}"/> handles it, so a copy still changes nothing twice.
/// </summary>
public abstract class IdempotentBatchConsumer<TMessage>(IDocumentStore store, TimeProvider clock)
    : IConsumer<Batch<TMessage>>
    where TMessage : class, IIntegrationEvent
{
    /// <summary>The clock, for handlers that need "now".</summary>
    protected TimeProvider Clock { get; } = clock;

    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        var consumer = GetType().Name;
        var cancellationToken = context.CancellationToken;
        // Two copies of one message in a batch (a re-publish beside the first) are one message.
        var messages = context.Message
            .DistinctBy(message => ProcessedMessages.Marker(consumer, message))
            .ToList();

        // As one message at a time: the cases' messages on this service's other queues wait their turn.
        using var held = await StripedLocks.Cases.AllAsync(messages.Select(m => m.Message.CaseId), cancellationToken);
        if (messages.Count > 1)
        {
            try
            {
                using var _ = OperationContext.Begin(OperationContext.System(consumer));
                await ProcessedMessages.CommitAsync(
                    store,
                    Clock,
                    messages.Select(message => ProcessedMessages.Marker(consumer, message)),
                    session => Handle(session, [.. messages.Select(m => m.Message)], cancellationToken),
                    cancellationToken);
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // One at a time below: a copy handled before is found by its marker, a conflict retried alone.
            }
        }

        foreach (var message in messages)
        {
            await ProcessedMessages.HandleOnceAsync(
                store,
                Clock,
                consumer,
                message,
                session => Handle(session, [message.Message], cancellationToken));
        }
    }

    /// <summary>
    /// Applies <paramref name="messages"/> (in the order they arrived; several may be about one case) to
    /// <paramref name="session"/>; the base commits them together with their markers.
    /// </summary>
    protected abstract Task Handle(
        IDocumentSession session, IReadOnlyList<TMessage> messages, CancellationToken cancellationToken);
}

/// <summary>The "handled" markers of the idempotent consumers.</summary>
internal static class ProcessedMessages
{
    /// <summary><c>{consumer}:{message id}</c>.</summary>
    public static string Marker<TMessage>(string consumer, ConsumeContext<TMessage> context)
        where TMessage : class, IIntegrationEvent =>
        $"{consumer}:{context.MessageId ?? context.Message.Metadata.EventId:N}";

    /// <summary>
    /// Handles one message optimistically, in one transaction: the marker's unique id makes a copy handled
    /// before (or at the same moment) fail at the commit, and only then is the marker looked up. A first
    /// delivery, by far the usual one, costs no read of its own.
    /// </summary>
    public static async Task HandleOnceAsync<TMessage>(
        IDocumentStore store,
        TimeProvider clock,
        string consumer,
        ConsumeContext<TMessage> context,
        Func<IDocumentSession, Task> handle)
        where TMessage : class, IIntegrationEvent
    {
        var marker = Marker(consumer, context);
        var metadata = context.Message.Metadata;
        using var _ = OperationContext.Begin(new OperationContext(
            Actor: $"system:{consumer}",
            ActorRole: "system",
            CorrelationId: metadata.CorrelationId,
            CausationId: metadata.EventId.ToString()));
        try
        {
            await CommitAsync(store, clock, [marker], handle, context.CancellationToken);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            // A copy committed first (its effects stand, ours were rolled back), or this is a real failure
            // that MassTransit retries.
            await using var query = store.QuerySession();
            if (await query.LoadAsync<ProcessedMessage>(marker, context.CancellationToken) is null)
            {
                throw;
            }
        }
    }

    /// <summary><paramref name="handle"/>'s changes and the markers, in one transaction.</summary>
    public static async Task CommitAsync(
        IDocumentStore store,
        TimeProvider clock,
        IEnumerable<string> markers,
        Func<IDocumentSession, Task> handle,
        CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(cancellationToken);
        await handle(session);
        var now = clock.GetUtcNow();
        foreach (var marker in markers)
        {
            session.Insert(new ProcessedMessage { Id = marker, ProcessedAt = now });
        }

        await session.SaveChangesAsync(cancellationToken);
    }
}
