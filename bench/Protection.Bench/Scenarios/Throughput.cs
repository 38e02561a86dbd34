using System.Collections.Concurrent;
using System.Diagnostics;
using Marten;
using Protection.Bench.Driver;
using IntakeCaseOpened = Protection.Intake.Cases.CaseFileOpened;
using TriageCaseTakenIn = Protection.Triage.Cases.CaseTakenIn;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 1. Cases opened through the gateway per second until every one is in its officer's triage queue,
/// at rising concurrency; beside it, the same two events per case (intake's CaseFileOpened, triage's
/// CaseTakenIn, copied from a real case) appended straight to Marten at the same concurrency.
/// </summary>
public static class Throughput
{
    /// <param name="CpuMsPerCase">CPU milliseconds per case end to end, by process.</param>
    public sealed record Level(
        int Concurrency,
        int Cases,
        double EndToEndPerSecond,
        Latency Post,
        double RawPerSecond,
        double Ratio,
        int Lost,
        Dictionary<string, double> CpuMsPerCase,
        Dictionary<string, double> RawCpuMsPerCase,
        double CommitsPerCase,
        double RawCommitsPerCase);

    public static async Task RunAsync(BenchRun run, ServiceStores stores)
    {
        var settings = run.Settings;
        var (opened, takenIn) = await SampleEventsAsync(run, stores);
        await using var rawIntake = await RawMarten.StoreAsync(settings, "raw_intake");
        await using var rawTriage = await RawMarten.StoreAsync(settings, "raw_triage");
        await RawAsync(rawIntake, rawTriage, opened, takenIn, 4, 200); // warm-up: past tiered compilation

        var levels = new List<Level>();
        foreach (var concurrency in settings.ThroughputLevels)
        {
            var cases = settings.ThroughputCases(concurrency);
            run.Say($"throughput: {cases} cases at concurrency {concurrency} through the gateway");
            var before = run.Cpu.Read();
            var commits = await RawMarten.CommitsAsync(settings);
            var (perSecond, post, lost) = await EndToEndAsync(run, concurrency, cases);
            // The rest of each case's work (intake noting triage's news, the other services' records) lands, and
            // counts here: the raw run after it starts on a quiet machine, not beside consumers still draining.
            var settled = await CpuMeter.SettleAsync(TimeSpan.FromSeconds(30));
            run.Say($"throughput: the system was quiet {settled.TotalSeconds:0.0} s after the last case arrived");
            var cpu = CpuMeter.PerOperation(before, run.Cpu.Read(), cases);
            var commitsPerCase = (await RawMarten.CommitsAsync(settings) - commits) / (double)cases;
            run.Say($"throughput: {cases} cases at concurrency {concurrency} straight to Marten");
            before = run.Cpu.Read();
            commits = await RawMarten.CommitsAsync(settings);
            var raw = await RawAsync(rawIntake, rawTriage, opened, takenIn, concurrency, cases);
            var rawCpu = CpuMeter.PerOperation(before, run.Cpu.Read(), cases);
            var rawCommitsPerCase = (await RawMarten.CommitsAsync(settings) - commits) / (double)cases;
            var level = new Level(
                concurrency,
                cases,
                Math.Round(perSecond, 1),
                post,
                Math.Round(raw, 1),
                Math.Round(100 * perSecond / raw, 1),
                lost,
                cpu,
                rawCpu,
                Math.Round(commitsPerCase, 1),
                Math.Round(rawCommitsPerCase, 1));
            levels.Add(level);
            run.Say($"  {level.EndToEndPerSecond} cases/s end to end, {level.RawPerSecond}/s raw: "
                + $"{level.Ratio} %; POST {post}");
            run.Say($"  CPU ms per case end to end: {CpuMeter.Describe(cpu)}; raw: {CpuMeter.Describe(rawCpu)}");
            run.Say(
                $"  PostgreSQL transactions per case (reads and the queue watch's polls included): "
                + $"{level.CommitsPerCase} end to end, {level.RawCommitsPerCase} raw");
            if (lost > 0)
            {
                run.Breached(
                    "throughput", $"{lost} of {cases} cases answered 201 but were not in the triage queue 60 s later");
            }
        }

        run.Figures["throughput"] = levels;
        var best = levels.MaxBy(l => l.EndToEndPerSecond)!;
        var ceiling = levels.MaxBy(l => l.RawPerSecond)!;
        var ratio = 100 * best.EndToEndPerSecond / ceiling.RawPerSecond;
        foreach (var level in levels)
        {
            run.Rows.Add(new Row(
                "1. Throughput",
                $"cases/s to the triage queue, concurrency {level.Concurrency} ({level.Cases} cases)",
                $"{level.EndToEndPerSecond}/s (POST p50 {level.Post.P50} ms, p99 {level.Post.P99} ms)",
                $"{level.RawPerSecond}/s raw Marten append",
                BenchRun.Percent(level.Ratio),
                "",
                null));
        }

        var busiest = levels[^1];
        run.Rows.Add(new Row(
            "1. Throughput",
            $"CPU ms per case by process, concurrency {busiest.Concurrency}",
            CpuMeter.Describe(busiest.CpuMsPerCase),
            CpuMeter.Describe(busiest.RawCpuMsPerCase),
            $"{busiest.CpuMsPerCase.Values.Sum() / busiest.RawCpuMsPerCase.Values.Sum():0.#}×",
            "",
            null));
        run.Rows.Add(new Row(
            "1. Throughput",
            "PostgreSQL transactions per case (reads and the queue watch's polls included), "
            + $"concurrency {busiest.Concurrency}",
            $"{busiest.CommitsPerCase}",
            $"{busiest.RawCommitsPerCase}",
            $"{busiest.CommitsPerCase / busiest.RawCommitsPerCase:0.#}×",
            "",
            null));
        run.Rows.Add(new Row(
            "1. Throughput",
            "best end-to-end vs best raw",
            $"{best.EndToEndPerSecond}/s (c={best.Concurrency})",
            $"{ceiling.RawPerSecond}/s (c={ceiling.Concurrency})",
            BenchRun.Percent(ratio),
            "≥ 40 %",
            ratio >= 40));
    }

    /// <summary>The events one real case produced, to append copies of.</summary>
    private static async Task<(IntakeCaseOpened Opened, TriageCaseTakenIn TakenIn)> SampleEventsAsync(
        BenchRun run, ServiceStores stores)
    {
        var caseId = run.OpenedCases[^1];
        await using var intake = stores.IntakeStore.QuerySession();
        await using var triage = stores.TriageStore.QuerySession();
        var opened = (await intake.Events.FetchStreamAsync(caseId))
            .Select(e => e.Data).OfType<IntakeCaseOpened>().Single();
        var takenIn = (await triage.Events.FetchStreamAsync(caseId))
            .Select(e => e.Data).OfType<TriageCaseTakenIn>().Single();
        return (opened, takenIn);
    }

    private static async Task<(double PerSecond, Latency Post, int Lost)> EndToEndAsync(
        BenchRun run, int concurrency, int cases)
    {
        // An organisation of its own: the queue's count, behind every poll, grows with the organisation's open
        // cases, and the development organisation's grow with every run of the benchmark.
        var organisation = $"bench-{run.Tag}-tp{concurrency}";
        var tokens = await run.Api.OrganisationTokensAsync(organisation, organisation, concurrency, "officer");
        var posts = new ConcurrentBag<double>();
        // Every 50 ms: each poll is itself a request and a transaction on the system being measured; counted
        // over seconds, a late sighting of up to 50 ms costs the figure about 1 %, and only ever lowers it.
        await using var watch = await QueueWatch.StartAsync(
            run, $"tp{concurrency}", organisation, TimeSpan.FromMilliseconds(50));
        var started = Stopwatch.GetTimestamp();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), parallel, async (worker, _) =>
        {
            var mine = cases / concurrency + (worker < cases % concurrency ? 1 : 0);
            for (var i = 0; i < mine; i++)
            {
                var result = await run.Api.OpenCaseAsync(tokens[worker], i);
                posts.Add(result.Milliseconds);
            }
        });

        var all = await watch.UntilAsync(cases, TimeSpan.FromSeconds(60));
        var arrivals = watch.Arrivals();
        var elapsed = Stopwatch
            .GetElapsedTime(started, arrivals.Length > 0 ? arrivals[^1] : Stopwatch.GetTimestamp())
            .TotalSeconds;
        return (Math.Min(arrivals.Length, cases) / elapsed, Latency.Of(posts), all ? 0 : cases - arrivals.Length);
    }

    private static async Task<double> RawAsync(
        IDocumentStore intake,
        IDocumentStore triage,
        IntakeCaseOpened opened,
        TriageCaseTakenIn takenIn,
        int concurrency,
        int cases)
    {
        var started = Stopwatch.GetTimestamp();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), parallel, async (_, cancellationToken) =>
        {
            var id = Guid.NewGuid();
            await using (var session = intake.LightweightSession())
            {
                session.Events.StartStream(id, opened with { CaseId = id });
                await session.SaveChangesAsync(cancellationToken);
            }

            await using (var session = triage.LightweightSession())
            {
                session.Events.StartStream(id, takenIn with { CaseId = id });
                await session.SaveChangesAsync(cancellationToken);
            }
        });
        return cases / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
