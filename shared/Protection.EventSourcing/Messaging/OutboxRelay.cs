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
}

/// <summary>Hands freshly committed outbox messages to the relay: publishing starts right after the commit.</summary>
internal sealed class OutboxCommitListener(Channel<OutboxMessage> committed) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var message in commit.Inserted.OfType<OutboxMessage>())
        {
            committed.Writer.TryWrite(message);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Publishes outbox messages to RabbitMQ and deletes them once the broker has them. The hot path is
/// the in-memory hand-over from <see cref="OutboxCommitListener"/> (milliseconds after the commit);
/// the periodic sweep is only the safety net for messages whose publish failed or whose process died.
/// A message may be published twice (published, then the process dies before deleting it): consumers
/// are idempotent by message id, which is the outbox id.
/// </summary>
internal sealed partial class OutboxRelay(
    Channel<OutboxMessage> committed,
    IDocumentStore store,
    IBus bus,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var immediate = Task.Run(() => RelayCommitted(stoppingToken), stoppingToken);
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
    }

    private async Task RelayCommitted(CancellationToken stoppingToken)
    {
        await foreach (var message in committed.Reader.ReadAllAsync(stoppingToken))
        {
            await TryPublish(message, stoppingToken);
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

        if (pending.Count > 0)
        {
            LogSweeping(logger, pending.Count);
        }

        foreach (var message in pending)
        {
            if (!await TryPublish(message, stoppingToken))
            {
                return; // the broker is unreachable: try again on the next tick, in order
            }
        }
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

            await using var session = store.LightweightSession();
            session.Delete<OutboxMessage>(message.Id);
            await session.SaveChangesAsync(stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox sweep failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
