using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Protection.Bench.Driver;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 3. <c>GET /api/cases/{id}</c> through the gateway and straight to intake, with the same token:
/// latency one request at a time (the two interleaved, so drift hits both alike, and beside them a bare YARP
/// proxy when one runs), then requests/s at a fixed concurrency. Every read is also appended to the case's
/// access log, in every path.
/// </summary>
public static class GatewayOverhead
{
    public sealed record Path(Latency Sequential, double RequestsPerSecond, Latency Concurrent);

    /// <summary><see cref="BareProxy"/>: the same reads through YARP alone, when bench/run.sh started one.</summary>
    public sealed record Result(
        int Pairs,
        int Concurrency,
        int Requests,
        Path Gateway,
        Path Direct,
        double P50OverheadPercent,
        Latency? BareProxy,
        double? BareProxyP50OverheadPercent);

    public static async Task RunAsync(BenchRun run)
    {
        var settings = run.Settings;
        var cases = run.OpenedCases.ToArray();
        // Supervisors read any case; several of them, so the gateway's per-user limit (100/s) does not throttle
        // the benchmark.
        var readers = await run.Api.TokensAsync(
            $"bench-{run.Tag}-reader", settings.GatewayConcurrency * 2, "supervisor");

        // The paths take turns, in an order that rotates, so that drift hits each alike.
        Uri[] paths = settings.BareProxy is { } bare
            ? [run.Api.Gateway, run.Api.Intake, bare]
            : [run.Api.Gateway, run.Api.Intake];
        run.Say($"gateway: {settings.GatewayLatencyPairs} sequential reads each way, interleaved"
            + (settings.BareProxy is null ? "" : " (and through a bare YARP proxy)"));
        var sequential = paths.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < 50; i++)
        {
            foreach (var path in paths)
            {
                await ReadAsync(run, path, cases[i % cases.Length], readers[0]);
            }
        }

        for (var i = 0; i < settings.GatewayLatencyPairs; i++)
        {
            var id = cases[Random.Shared.Next(cases.Length)];
            var reader = readers[i % readers.Length];
            for (var turn = 0; turn < paths.Length; turn++)
            {
                var at = (i + turn) % paths.Length;
                sequential[at].Add(await ReadAsync(run, paths[at], id, reader));
            }
        }

        var (viaGateway, direct) = (sequential[0], sequential[1]);
        run.Say($"gateway: {settings.GatewayThroughputRequests} reads each way "
            + $"at concurrency {settings.GatewayConcurrency}");
        var (directRate, directConcurrent) = await ThroughputAsync(run, run.Api.Intake, cases, readers);
        var (gatewayRate, gatewayConcurrent) = await ThroughputAsync(run, run.Api.Gateway, cases, readers);

        var gateway = new Path(Latency.Of(viaGateway), Math.Round(gatewayRate, 1), gatewayConcurrent);
        var straight = new Path(Latency.Of(direct), Math.Round(directRate, 1), directConcurrent);
        var overhead = AddedPercent(gateway.Sequential, straight.Sequential);
        var bareProxy = paths.Length > 2 ? Latency.Of(sequential[2]) : null;
        double? bareOverhead = bareProxy is null ? null : AddedPercent(bareProxy, straight.Sequential);
        run.Figures["gateway"] = new Result(
            settings.GatewayLatencyPairs,
            settings.GatewayConcurrency,
            settings.GatewayThroughputRequests,
            gateway,
            straight,
            overhead,
            bareProxy,
            bareOverhead);
        run.Say($"  gateway {gateway.Sequential}, {gateway.RequestsPerSecond} req/s; "
            + $"direct {straight.Sequential}, {straight.RequestsPerSecond} req/s");

        run.Rows.Add(new Row(
            "3. Gateway",
            "GET /api/cases/{id}, one at a time, p50 / p99",
            $"{gateway.Sequential.P50} / {gateway.Sequential.P99} ms via gateway",
            $"{straight.Sequential.P50} / {straight.Sequential.P99} ms straight to intake",
            $"+{overhead} % p50",
            "≤ 10 % p50",
            overhead <= 10));
        if (bareProxy is not null)
        {
            run.Say($"  bare YARP proxy {bareProxy}");
            run.Rows.Add(new Row(
                "3. Gateway",
                "the same through a bare YARP proxy (one route; no authentication, rate limit or telemetry)",
                $"{bareProxy.P50} / {bareProxy.P99} ms via the bare proxy",
                $"{straight.Sequential.P50} / {straight.Sequential.P99} ms straight to intake",
                $"+{bareOverhead} % p50",
                "",
                null));
        }

        run.Rows.Add(new Row(
            "3. Gateway",
            $"GET /api/cases/{{id}}, concurrency {settings.GatewayConcurrency}, requests/s",
            $"{gateway.RequestsPerSecond}/s (p99 {gateway.Concurrent.P99} ms)",
            $"{straight.RequestsPerSecond}/s (p99 {straight.Concurrent.P99} ms)",
            BenchRun.Percent(100 * gateway.RequestsPerSecond / straight.RequestsPerSecond),
            "",
            null));
    }

    private static async Task<double> ReadAsync(BenchRun run, Uri baseUri, Guid caseId, string token)
    {
        var (status, milliseconds, _) = await run.Api.TimedAsync(
            HttpMethod.Get, baseUri, $"/api/cases/{caseId}", token);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /api/cases/{caseId} on {baseUri} answered {(int)status}");
        }

        return milliseconds;
    }

    private static async Task<(double PerSecond, Latency Latency)> ThroughputAsync(
        BenchRun run, Uri baseUri, Guid[] cases, string[] readers)
    {
        var latencies = new ConcurrentBag<double>();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, run.Settings.GatewayThroughputRequests),
            new ParallelOptions { MaxDegreeOfParallelism = run.Settings.GatewayConcurrency },
            async (i, _) => latencies.Add(
                await ReadAsync(run, baseUri, cases[i % cases.Length], readers[i % readers.Length])));
        return (
            run.Settings.GatewayThroughputRequests / Stopwatch.GetElapsedTime(started).TotalSeconds,
            Latency.Of(latencies));
    }

    /// <summary>What a path adds to the straight read's p50, in per cent.</summary>
    private static double AddedPercent(Latency via, Latency straight) =>
        Math.Round(100 * (via.P50 - straight.P50) / straight.P50, 1);
}
