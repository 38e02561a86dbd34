using System.Globalization;
using Protection.Bench.Driver;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 5. Resident memory of the five processes idle (after start-up, before any load) and at their peak
/// while the scenarios ran, and each one's start-up to ready (bench/run.sh restarts each and times
/// it); beside them, an empty ASP.NET Core application started the same way on the same machine.
/// </summary>
public static class Resources
{
    public sealed record Startup(string Process, double Milliseconds, long? IdleRssBytes);

    public sealed record Memory(string Process, double IdleMib, double PeakMib);

    /// <param name="PeakTotalMib">The most the five held at one moment.</param>
    /// <param name="SumOfPeaksMib">Each one's peak added up, whenever it came (an upper bound).</param>
    public sealed record Result(
        IReadOnlyList<Startup> Startups,
        IReadOnlyList<Memory> Memory,
        double IdleTotalMib,
        double PeakTotalMib,
        double SumOfPeaksMib);

    public const string EmptyApp = "empty-aspnet";

    public static IReadOnlyList<Startup> ReadStartups(string? file)
    {
        if (file is null || !File.Exists(file))
        {
            return [];
        }

        return File.ReadLines(file)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 2)
            .Select(parts => new Startup(parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture),
                parts.Length > 2 ? long.Parse(parts[2], CultureInfo.InvariantCulture) * 1024 : null))
            .ToArray();
    }

    public static void Report(
        BenchRun run, IReadOnlyDictionary<string, long> idle, IReadOnlyDictionary<string, long> peak, long peakTotal)
    {
        var startups = ReadStartups(run.Settings.StartupFile);
        var empty = startups.FirstOrDefault(s => s.Process == EmptyApp);
        var memory = Footprint.Processes
            .Select(p => new Memory(
                p, Footprint.Mib(idle[p]), Footprint.Mib(Math.Max(peak.GetValueOrDefault(p), idle[p]))))
            .ToArray();
        var result = new Result(startups, memory, Math.Round(memory.Sum(m => m.IdleMib), 1),
            Footprint.Mib(Math.Max(peakTotal, idle.Values.Sum())), Math.Round(memory.Sum(m => m.PeakMib), 1));
        run.Figures["footprint"] = result;

        var emptyRss = empty?.IdleRssBytes is { } bytes
            ? $"{Footprint.Mib(bytes)} MiB empty ASP.NET Core app"
            : "(no baseline: run through bench/run.sh)";
        foreach (var m in memory)
        {
            run.Rows.Add(new Row(
                "5. Footprint",
                $"RSS of {m.Process}, idle → peak under load",
                $"{m.IdleMib} → {m.PeakMib} MiB",
                emptyRss,
                "",
                "",
                null));
        }

        run.Rows.Add(new Row(
            "5. Footprint",
            "RSS of all five together under load (most at one moment)",
            $"{result.PeakTotalMib} MiB (idle {result.IdleTotalMib} MiB; "
            + $"each one's peak added up: {result.SumOfPeaksMib} MiB)",
            empty?.IdleRssBytes is { } e ? $"{Footprint.Mib(5 * e)} MiB five empty apps" : "",
            "",
            "≤ 1024 MiB",
            result.PeakTotalMib <= 1024));

        foreach (var startup in startups.Where(s => s.Process != EmptyApp))
        {
            run.Rows.Add(new Row(
                "5. Footprint",
                $"start-up of {startup.Process} to ready",
                $"{startup.Milliseconds / 1000:0.00} s",
                empty is null ? "" : $"{empty.Milliseconds / 1000:0.00} s empty ASP.NET Core app",
                empty is null ? "" : $"{startup.Milliseconds / empty.Milliseconds:0.#}×",
                "≤ 5 s",
                startup.Milliseconds <= 5_000));
        }
    }
}
