using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Protection.Bench.Driver;
using Protection.Bench.Micro;
using Protection.Bench.Scenarios;

// bench/run.sh is the way in: it starts what is missing, times each service's start-up, then runs this.
//   Protection.Bench [--quick] [--no-micro] [--only throughput,freshness,gateway,grants,history]
//                    [--startup FILE] [--results DIR] [--readme FILE] [--bare-proxy URL]
//   Protection.Bench empty-app --urls http://127.0.0.1:5199
//                    (the start-up and memory baseline: an empty ASP.NET Core app)
//   Protection.Bench bare-proxy --urls http://127.0.0.1:5198 --to http://127.0.0.1:5101
//                    (the proxy baseline: YARP alone, one route to intake, no authentication, no rate limit)
//   Protection.Bench replay [--runs N] [--daemon] [--databases PREFIX] [--postgres CONNECTION]
//                    (row "4. Replay" alone, N times in one process, on the triage store named by the prefix: no
//                    running system needed; it rebuilds triage's case projection, so point it at a copy;
//                    --daemon times Marten's daemon rebuild instead of rebuild-cases)
if (args.FirstOrDefault() == "empty-app")
{
    var app = WebApplication.CreateBuilder(args[1..]).Build();
    app.MapGet("/health/ready", () => "Healthy");
    app.Run();
    return 0;
}

if (args.FirstOrDefault() == "bare-proxy")
{
    return await BareProxy.RunAsync(args[1..]);
}

if (args.FirstOrDefault() == "replay")
{
    var daemon = args.Contains("--daemon");
    var at = Array.IndexOf(args, "--runs");
    var runs = at > 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 1;
    // The rest are the benchmark's own arguments (databases, connection), without "--runs N" and "--daemon".
    var replay = Arguments.Parse(
        [.. args[1..].Where((_, i) => i + 1 != at && i + 1 != at + 1).Where(a => a != "--daemon")]);
    using var none = new Api(replay.Gateway, replay.Intake, replay.Triage);
    await using var replayStores = ServiceStores.Open(replay);
    var replayRun = new BenchRun(replay, none);
    for (var i = 0; i < runs; i++)
    {
        await History.RebuildAsync(
            replayRun,
            replayStores.TriageStore,
            daemon ? History.Daemons(replayStores.TriageStore) : History.Operators(replayStores.TriageRebuild));
    }

    return 0;
}

var settings = Arguments.Parse(args);
var started = Stopwatch.GetTimestamp();
using var api = new Api(settings.Gateway, settings.Intake, settings.Triage);
var run = new BenchRun(settings, api);
run.Say($"Protection benchmark on {Report.Machine()}{(settings.Quick ? " (quick)" : "")}");

await using var footprint = new Footprint(settings.PidDirectory);
var idle = footprint.Now();
run.Cpu = new CpuMeter(footprint.Pids);
footprint.StartSampling();
await using var stores = ServiceStores.Open(settings);

// Warm-up: bench/run.sh has just restarted every service; let tiered compilation settle before measuring.
var warmUpCases = settings.Quick ? 60 : 160;
run.Say($"warm-up: {warmUpCases} cases through the gateway into triage, 8 at a time, and their reads");
var warmUp = await api.TokensAsync($"bench-{run.Tag}-warmup", 8, "officer");
await Parallel.ForEachAsync(
    Enumerable.Range(0, warmUpCases),
    new ParallelOptions { MaxDegreeOfParallelism = 8 },
    async (i, _) =>
    {
        var opened = await api.OpenCaseAsync(warmUp[i % 8], i);
        lock (run.OpenedCases)
        {
            run.OpenedCases.Add(opened.Id);
        }

        await api.TimedAsync(HttpMethod.Get, api.Gateway, $"/api/cases/{opened.Id}", warmUp[i % 8]);
    });

var warmedUp = await Api.UntilAsync(async () =>
{
    for (var i = 0; i < 8; i++)
    {
        if (await api.QueueTotalAsync(warmUp[i]) < warmUpCases / 8 + (i < warmUpCases % 8 ? 1 : 0))
        {
            return false;
        }
    }

    return true;
}, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
if (!warmedUp)
{
    run.Breached("warm-up", $"of {warmUpCases} cases that answered 201, some were not in the triage queue 60 s later");
}

// A system that lost a case in the warm-up is not measured further; a scenario that fails stops the run
// (its error is recorded as a breach). Either way the results are written and the run exits non-zero.
(string Name, Func<Task> Run)[] scenarios =
[
    ("throughput", () => Throughput.RunAsync(run, stores)),
    ("freshness", () => Freshness.RunAsync(run)),
    ("gateway", () => GatewayOverhead.RunAsync(run)),
    ("grants", () => GrantContention.RunAsync(run)),
    ("history", () => History.RunAsync(run, stores)),
    ("console", () => ConsolePages.RunAsync(run)),
];
foreach (var (name, scenario) in scenarios)
{
    if (run.Breaches.Count > 0 || !settings.Runs(name))
    {
        continue;
    }

    try
    {
        await scenario();
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException
        or Marten.Exceptions.MartenException)
    {
        run.Breached(name, $"the scenario stopped: {e.GetType().Name}: {e.Message}");
    }
}

var peak = footprint.Peak();
Resources.Report(run, idle, peak, footprint.PeakTotal());

if (settings.Micro && run.Breaches.Count == 0)
{
    run.Say("micro-benchmarks (BenchmarkDotNet, in process)");
    var micro = MicroBenchmarks.Run(Path.Combine(Path.GetTempPath(), "protection-bench-artifacts"), settings.Quick);
    run.Figures["micro"] = micro;
    foreach (var group in micro.GroupBy(m => (m.Benchmark, m.Parameters)))
    {
        var baseline = group.FirstOrDefault(m => m.IsBaseline);
        foreach (var m in group.Where(m => !m.IsBaseline))
        {
            run.Rows.Add(new Row(
                "Micro",
                $"{m.Benchmark}.{m.Method}{(m.Parameters.Length > 0 ? $" ({m.Parameters})" : "")}",
                $"{Nanoseconds(m.MeanNanoseconds)}, {m.AllocatedBytes:N0} B",
                baseline is null ? "" : $"{Nanoseconds(baseline.MeanNanoseconds)} {baseline.Method}",
                m.RatioToBaseline is { } ratio ? $"{ratio:0.##}×" : "",
                "",
                null));
        }
    }
}

var duration = Stopwatch.GetElapsedTime(started);
var written = Report.Write(run, duration);
Console.WriteLine();
Console.WriteLine(Report.Markdown(run, Report.Machine(), duration, Path.GetFileName(written)));
run.Say($"results: {written} (and .md beside it)"
    + (settings.Quick || settings.Only.Length > 0 ? "" : "; README.md's table updated"));
if (api.RateLimited > 0)
{
    run.Say($"note: the gateway answered 429 to {api.RateLimited} requests, which were retried");
}

if (run.Breaches.Count > 0)
{
    Console.Error.WriteLine($"FAILED: {run.Breaches.Count} invariant(s) broken; see above and {written}.");
    return 1;
}

return 0;

static string Nanoseconds(double ns) => ns switch
{
    >= 1_000_000 => $"{ns / 1_000_000:0.##} ms",
    >= 1_000 => $"{ns / 1_000:0.##} µs",
    _ => $"{ns:0.#} ns",
};
