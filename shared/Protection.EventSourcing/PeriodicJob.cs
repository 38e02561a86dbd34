using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Protection.EventSourcing;

/// <summary>
/// A background pass that runs at start and then every <see cref="Interval"/> on the injected clock
/// (so tests drive it with a fake one). A failed pass is logged and retried on the next tick.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass; returns how many items it acted on.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, GetType().Name, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>
    /// For each stream in <paramref name="ids"/>: loads it for writing in a session of its own, acting
    /// as <c>system:{job}</c>; <paramref name="append"/> appends (and queues messages) or returns false
    /// when the stream no longer qualifies. The append commits at the version read, so a stream changed
    /// meanwhile (by a person or another replica) is skipped and decided again on the next pass.
    /// </summary>
    /// <returns>How many streams were changed.</returns>
    protected async Task<int> AppendToEachAsync<TAggregate>(
        IDocumentStore store,
        IEnumerable<Guid> ids,
        Func<IDocumentSession, IEventStream<TAggregate>, bool> append,
        CancellationToken cancellationToken)
        where TAggregate : class
    {
        var changed = 0;
        foreach (var id in ids)
        {
            using var _ = OperationContext.Begin(OperationContext.System(GetType().Name));
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<TAggregate>(id, cancellationToken);
            if (stream.Aggregate is null || !append(session, stream))
            {
                continue;
            }

            try
            {
                await session.SaveChangesAsync(cancellationToken);
                changed++;
                LogAppended(logger, GetType().Name, id);
            }
            catch (ConcurrencyException)
            {
                // changed meanwhile: the next pass decides again
            }
        }

        return changed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} flagged {StreamId}")]
    private static partial void LogAppended(ILogger logger, string job, Guid streamId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; retrying on the next tick")]
    private static partial void LogPassFailed(ILogger logger, string job, Exception exception);
}
