using System.Diagnostics;
using System.Globalization;

namespace Protection.Bench.Driver;

/// <summary>
/// CPU time spent by each of the system's processes, the benchmark itself and the rest of the
/// machine (PostgreSQL, RabbitMQ, the kernel) between two readings of /proc: where the cost of an
/// operation goes, process by process.
/// </summary>
public sealed class CpuMeter(IReadOnlyDictionary<string, int> pids)
{
    public const string Bench = "bench driver";
    public const string Rest = "PostgreSQL, RabbitMQ, kernel";

    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Reading(Dictionary<string, double> Seconds);

    public Reading Read()
    {
        var seconds = pids.ToDictionary(p => p.Key, p => ProcessSeconds(p.Value));
        seconds[Bench] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        seconds["machine"] = MachineBusySeconds();
        return new Reading(seconds);
    }

    /// <summary>Milliseconds of CPU per operation, by process, between two readings.</summary>
    public static Dictionary<string, double> PerOperation(Reading before, Reading after, int operations)
    {
        var spent = after.Seconds.ToDictionary(s => s.Key, s => s.Value - before.Seconds.GetValueOrDefault(s.Key));
        var machine = spent["machine"];
        spent.Remove("machine");
        spent[Rest] = Math.Max(0, machine - spent.Values.Sum());
        return spent.ToDictionary(s => s.Key, s => Math.Round(1000 * s.Value / operations, 2));
    }

    /// <summary>
    /// Waits until the machine is quiet (under a sixth of a core busy over a quarter of a second), at most
    /// <paramref name="most"/>: the work a run left behind (consumers still draining their queues) is then
    /// counted in that run, not in the next measurement. Answers how long it waited.
    /// </summary>
    public static async Task<TimeSpan> SettleAsync(TimeSpan most)
    {
        var started = Stopwatch.GetTimestamp();
        var window = TimeSpan.FromMilliseconds(250);
        while (Stopwatch.GetElapsedTime(started) < most)
        {
            var before = MachineBusySeconds();
            await Task.Delay(window);
            if ((MachineBusySeconds() - before) / window.TotalSeconds < 1.0 / 6)
            {
                break;
            }
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public static string Describe(Dictionary<string, double> perOperation) =>
        string.Join(", ", perOperation
            .OrderByDescending(p => p.Value)
            .Where(p => p.Value >= 0.05)
            .Select(p => $"{p.Key} {p.Value:0.#}"));

    private static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture)
                + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double MachineBusySeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal ...: all but idle and iowait are busy.
        return (cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]) / TicksPerSecond;
    }
}
