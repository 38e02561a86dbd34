using System.Globalization;

namespace Protection.Bench.Driver;

/// <summary>Resident memory of the system's processes (from /proc), idle and at its peak under load.</summary>
public sealed class Footprint : IAsyncDisposable
{
    public static readonly string[] Processes = ["intake", "triage", "assistance", "relocation", "gateway"];

    private readonly Dictionary<string, int> _pids;
    private readonly Dictionary<string, long> _peak = new();
    private long _peakTotal;
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampling;

    public Footprint(string pidDirectory)
    {
        _pids = Processes.ToDictionary(name => name, name =>
        {
            var file = Path.Combine(pidDirectory, $"{name}.pid");
            if (!File.Exists(file))
            {
                throw new InvalidOperationException(
                    $"{file} is missing: start the system with deploy/local/up.sh first.");
            }

            return int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
        });
    }

    public IReadOnlyDictionary<string, int> Pids => _pids;

    /// <summary>VmRSS in bytes, or null when the process is gone.</summary>
    public static long? Rss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    public Dictionary<string, long> Now() =>
        _pids.ToDictionary(p => p.Key, p => Rss(p.Value) ?? throw new InvalidOperationException(
            $"{p.Key} (PID {p.Value}) is not running: did a service crash? See .run/logs/{p.Key}.log"));

    /// <summary>Samples every 100 ms until disposed, keeping each process's peak.</summary>
    public void StartSampling() => _sampling = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            long total = 0;
            foreach (var (name, pid) in _pids)
            {
                if (Rss(pid) is { } rss)
                {
                    total += rss;
                    lock (_peak)
                    {
                        _peak[name] = Math.Max(_peak.GetValueOrDefault(name), rss);
                    }
                }
            }

            lock (_peak)
            {
                _peakTotal = Math.Max(_peakTotal, total);
            }

            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    });

    public Dictionary<string, long> Peak()
    {
        lock (_peak)
        {
            return new Dictionary<string, long>(_peak);
        }
    }

    /// <summary>The most the five held at one moment (a sample every 100 ms).</summary>
    public long PeakTotal()
    {
        lock (_peak)
        {
            return _peakTotal;
        }
    }

    public static double Mib(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sampling is not null)
        {
            await _sampling;
        }

        _stop.Dispose();
    }
}
