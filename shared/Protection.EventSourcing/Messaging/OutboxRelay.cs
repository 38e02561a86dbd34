using System.Collections.Concurrent;
using System.Threading.Channels;
using Marten;
using Marten.Services;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Protection.EventSourcing.Messaging;

public sealed class OutboxOptions
{
    /// <summary>How often committed-but-unpublished messages are swept up (after a crash or a broker outage).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A message younger than this is left to the immediate path, so the sweep does not race it.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int SweepBatchSize { get; set; } = 200;

    /// <summary>
    /// How long published messages' ids wait to be deleted together: one transaction for every message
    /// published meanwhile instead of one each. Well under <see cref="SweepGrace"/>, so the sweep does not
    /// publish again what is only waiting to be deleted.
    /// </summary>
    public TimeSpan DeleteLinger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Publishes the immediate path keeps in flight at once, each case's messages in one lane (in commit order).
    /// One at a time, each waiting for the broker's confirm, caps a process at what one round trip allows: under
    /// load the outbox grew by thousands of messages and every case waited behind them; 16 lanes took 1.3–1.9 times
    /// as many cases a second. 1 publishes every message in commit order, whatever its case.
    /// </summary>
    public int PublishLanes { get; set; } = 16;
}

/// <summary>
/// The outbox messages this process has in hand, from the commit that wrote them until the delete that removes
/// them: the immediate path's queue, and the ids the sweep leaves alone. Without it, under load (a queue of
/// messages waiting to be published or deleted for longer than <see cref="OutboxOptions.SweepGrace"/>) the
/// sweep published thousands of them a second time, and every consumer of each then ran and rolled back a
/// transaction to find it a duplicate.
/// </summary>
internal sealed class OutboxHandOver
{
    private readonly ConcurrentDictionary<Guid, byte> _inHand = new();

    public Channel<OutboxMessage> Committed { get; } =
        Channel.CreateUnbounded<OutboxMessage>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>A message just committed: queued for publishing, and in hand until deleted or let go.</summary>
    public void Take(OutboxMessage message)
    {
        Hold(message.Id);
        Committed.Writer.TryWrite(message);
    }

    /// <summary>Takes <paramref name="id"/> in hand; false when it already was.</summary>
    public bool Hold(Guid id) => _inHand.TryAdd(id, 0);

    /// <summary>Deleted, or left to the sweep (its publish or its delete failed).</summary>
    public void LetGo(Guid id) => _inHand.TryRemove(id, out _);
}

/// <summary>Hands freshly committed outbox messages to the relay: publishing starts right after the commit.</summary>
internal sealed class OutboxCommitListener(OutboxHandOver handOver) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var message in commit.Inserted.OfType<OutboxMessage>())
        {
            handOver.Take(message);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Publishes outbox messages to RabbitMQ and deletes them once the broker has them. The hot path is
/// the in-memory hand-over from <see cref="OutboxCommitListener"/> (milliseconds after the commit);
/// the periodic sweep is only the safety net for messages whose publish failed or whose process died, and
/// leaves alone the messages this process still has in hand (<see cref="OutboxHandOver"/>).
/// A message may be published twice (published, then the process dies before deleting it): consumers
/// are idempotent by message id, which is the outbox id.
/// </summary>
internal sealed partial class OutboxRelay(
    OutboxHandOver handOver,
    IDocumentStore store,
    IBus bus,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;
    private readonly Channel<Guid> _published = Channel.CreateUnbounded<Guid>(
        new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var immediate = Task.Run(() => RelayCommitted(stoppingToken), stoppingToken);
        var deletes = Task.Run(() => DeletePublished(stoppingToken), stoppingToken);
        using var timer = new PeriodicTimer(_options.SweepInterval, clock);
        do
        {
            try
            {
                await Sweep(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));

        await immediate;
        await deletes;
    }

    /// <summary>
    /// Deletes published messages in batches. A message published but not yet deleted when the process stops
    /// is published again by the next sweep; consumers are idempotent by its id.
    /// </summary>
    private async Task DeletePublished(CancellationToken stoppingToken)
    {
        var batch = new List<Guid>();
        while (await _published.Reader.WaitToReadAsync(stoppingToken))
        {
            await Task.Delay(_options.DeleteLinger, stoppingToken); // real time: a batching window, not domain time
            while (batch.Count < _options.SweepBatchSize * 5 && _published.Reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            try
            {
                await using var session = store.LightweightSession();
                var ids = batch.ToArray();
                session.DeleteWhere<OutboxMessage>(m => ids.Contains(m.Id));
                await session.SaveChangesAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Left in the outbox: the sweep publishes them again (a duplicate consumers ignore) and deletes them.
                LogDeleteFailed(logger, ex.GetType().Name, batch.Count);
            }

            foreach (var id in batch)
            {
                handOver.LetGo(id);
            }

            batch.Clear();
        }
    }

    /// <summary>
    /// Hands each committed message to its case's lane: messages of one case are published one after another, in
    /// the order their commits were handed over; those of different cases go out side by side, their confirms
    /// awaited together.
    /// </summary>
    private async Task RelayCommitted(CancellationToken stoppingToken)
    {
        var lanes = Enumerable.Range(0, Math.Max(1, _options.PublishLanes))
            .Select(_ => Channel.CreateUnbounded<OutboxMessage>(
                new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }))
            .ToArray();
        var publishing = lanes.Select(lane => Task.Run(() => PublishInOrder(lane.Reader, stoppingToken))).ToArray();
        try
        {
            await foreach (var message in handOver.Committed.Reader.ReadAllAsync(stoppingToken))
            {
                lanes[(uint)message.CaseId.GetHashCode() % lanes.Length].Writer.TryWrite(message);
            }
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Writer.TryComplete();
            }

            await Task.WhenAll(publishing);
        }
    }

    private async Task PublishInOrder(ChannelReader<OutboxMessage> lane, CancellationToken stoppingToken)
    {
        await foreach (var message in lane.ReadAllAsync(stoppingToken))
        {
            if (!await TryPublish(message, stoppingToken))
            {
                handOver.LetGo(message.Id); // the sweep's now
            }
        }
    }

    private async Task Sweep(CancellationToken stoppingToken)
    {
        var cutoff = clock.GetUtcNow() - _options.SweepGrace;
        IReadOnlyList<OutboxMessage> pending;
        await using (var session = store.QuerySession())
        {
            pending = await session.Query<OutboxMessage>()
                .Where(m => m.CreatedAt < cutoff)
                .OrderBy(m => m.CreatedAt)
                .Take(_options.SweepBatchSize)
                .ToListAsync(stoppingToken);
        }

        // What this process has in hand is on its way (published, or waiting to be deleted). What the query saw
        // may have been published, deleted and let go since, between the query and this look: the orphans are
        // taken in hand first, and only those still in the outbox after that are published.
        var taken = pending.Where(m => handOver.Hold(m.Id)).ToList();
        var orphans = await StillThereAsync(taken, stoppingToken);
        if (orphans.Count > 0)
        {
            LogSweeping(logger, orphans.Count);
        }

        for (var at = 0; at < orphans.Count; at++)
        {
            if (!await TryPublish(orphans[at], stoppingToken))
            {
                foreach (var left in orphans.Skip(at))
                {
                    handOver.LetGo(left.Id);
                }

                return; // the broker is unreachable: try again on the next tick, in order
            }
        }
    }

    /// <summary>
    /// Those of <paramref name="taken"/> (in hand now) still in the outbox; the rest are let go again.
    /// </summary>
    private async Task<List<OutboxMessage>> StillThereAsync(List<OutboxMessage> taken, CancellationToken token)
    {
        if (taken.Count == 0)
        {
            return taken;
        }

        var ids = taken.Select(m => m.Id).ToArray();
        HashSet<Guid> there;
        try
        {
            await using var session = store.QuerySession();
            there = [.. await session.Query<OutboxMessage>().Where(m => ids.Contains(m.Id)).Select(m => m.Id)
                .ToListAsync(token)];
        }
        catch
        {
            foreach (var id in ids)
            {
                handOver.LetGo(id);
            }

            throw;
        }

        foreach (var gone in taken.Where(m => !there.Contains(m.Id)))
        {
            handOver.LetGo(gone.Id);
        }

        return [.. taken.Where(m => there.Contains(m.Id))];
    }

    private async Task<bool> TryPublish(OutboxMessage message, CancellationToken stoppingToken)
    {
        try
        {
            var integrationEvent = message.Deserialize();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(_options.PublishTimeout);
            await bus.Publish(integrationEvent, integrationEvent.GetType(), context =>
            {
                context.MessageId = message.Id;
                if (Guid.TryParse(message.CorrelationId, out var correlationId))
                {
                    context.CorrelationId = correlationId;
                }
            }, timeout.Token);

            _published.Writer.TryWrite(message.Id);
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Only ids and type names are logged: payloads may be safe, but logs are not the place to find out.
            LogPublishFailed(logger, ex.GetType().Name, message.Id, message.MessageType);
            return false;
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Outbox message {MessageId} ({MessageType}) not published yet ({Error}); "
            + "it stays in the outbox and is retried by the sweep")]
    private static partial void LogPublishFailed(ILogger logger, string error, Guid messageId, string messageType);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Outbox sweep found {Count} committed messages not yet published")]
    private static partial void LogSweeping(ILogger logger, int count);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Deleting {Count} published outbox messages failed ({Error}); the sweep publishes them again")]
    private static partial void LogDeleteFailed(ILogger logger, string error, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox sweep failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
