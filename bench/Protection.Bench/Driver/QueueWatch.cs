using System.Diagnostics;

namespace Protection.Bench.Driver;

/// <summary>
/// Watches <c>GET /api/triage/queue</c> as supervisors (who see every open case) from one loop, and
/// notes when its total first reached each count. While the benchmark alone opens cases, the k-th
/// arrival after the start is the k-th case to become visible. One poller, whatever the load: a
/// poller per case would itself become the load being measured.
/// </summary>
public sealed class QueueWatch : IAsyncDisposable
{
    private readonly Api _api;
    private readonly string[] _supervisors;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _arrivals = [];
    private Task? _loop;

    private QueueWatch(Api api, string[] supervisors, TimeSpan interval, long start)
    {
        _api = api;
        _supervisors = supervisors;
        _interval = interval;
        Start = start;
    }

    /// <summary>The queue's total when watching began.</summary>
    public long Start { get; }

    public int Polls { get; private set; }

    public TimeSpan Interval => _interval;

    /// <summary>
    /// Starts watching the queue of <paramref name="organisation"/>. Four of its supervisors take turns, so the
    /// gateway's per-user limit (100/s) is not reached.
    /// </summary>
    public static async Task<QueueWatch> StartAsync(BenchRun run, string name, string organisation, TimeSpan interval)
    {
        var supervisors = await run.Api.OrganisationTokensAsync(
            $"bench-{run.Tag}-{name}-watch", organisation, 4, "supervisor");
        var start = await run.Api.QueueTotalAsync(supervisors[0]);
        var watch = new QueueWatch(run.Api, supervisors, interval, start);
        watch._loop = Task.Run(watch.LoopAsync);
        return watch;
    }

    private async Task LoopAsync()
    {
        var seen = Start;
        while (!_stop.IsCancellationRequested)
        {
            var total = await _api.QueueTotalAsync(_supervisors[Polls++ % _supervisors.Length]);
            var now = Stopwatch.GetTimestamp();
            if (total > seen)
            {
                lock (_arrivals)
                {
                    for (var k = seen; k < total; k++)
                    {
                        _arrivals.Add(now);
                    }
                }

                seen = total;
            }

            try
            {
                await Task.Delay(_interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>How many cases have become visible since the start.</summary>
    public int Arrived
    {
        get
        {
            lock (_arrivals)
            {
                return _arrivals.Count;
            }
        }
    }

    /// <summary>When the k-th case (from 0) became visible, as a Stopwatch timestamp.</summary>
    public long[] Arrivals()
    {
        lock (_arrivals)
        {
            return _arrivals.ToArray();
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> cases arrived or <paramref name="deadline"/> passed; answers whether
    /// they did.
    /// </summary>
    public Task<bool> UntilAsync(int count, TimeSpan deadline) =>
        Api.UntilAsync(() => Task.FromResult(Arrived >= count), deadline, TimeSpan.FromMilliseconds(2));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}
