using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Protection.ServiceDefaults;

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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; retrying on the next tick")]
    private static partial void LogPassFailed(ILogger logger, string job, Exception exception);
}
