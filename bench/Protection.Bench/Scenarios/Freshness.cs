using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Protection.Bench.Driver;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 2. At a fixed rate, the time from a <c>201</c> on <c>POST /api/cases</c> to the case in its officer's
/// <c>GET /api/triage/queue</c> (polled every 5 ms: a figure is late by at most that); beside it, a
/// message published and consumed with MassTransit alone on the same RabbitMQ at the same rate.
/// </summary>
public static class Freshness
{
    public sealed record Result(
        int Rate, int Cases, Latency Visible, Latency Post, Latency RawPublishToConsume, int Lost, int PollIntervalMs);

    public sealed record BenchPing(int Number, long SentAt);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static async Task RunAsync(BenchRun run)
    {
        var results = new List<Result>();
        foreach (var rate in run.Settings.FreshnessRates)
        {
            results.Add(await AtAsync(run, rate));
        }

        run.Figures["freshness"] = results;
    }

    private static async Task<Result> AtAsync(BenchRun run, int rate)
    {
        var count = rate * run.Settings.FreshnessSeconds;
        // An organisation of its own (as in the throughput scenario): its queue holds this level's cases only.
        var organisation = $"bench-{run.Tag}-fresh{rate}";
        var tokens = await run.Api.OrganisationTokensAsync(organisation, organisation, 10, "officer");

        run.Say($"freshness: {count} cases at {rate}/s; "
            + $"the triage queue watched every {PollInterval.TotalMilliseconds} ms");
        var answered = new long[count];
        var posts = new ConcurrentBag<double>();
        int lost;
        long[] arrivals;
        await using (var watch = await QueueWatch.StartAsync(run, "fresh", organisation, PollInterval))
        {
            await AtRateAsync(count, rate, async i =>
            {
                var opened = await run.Api.OpenCaseAsync(tokens[i % tokens.Length], i);
                posts.Add(opened.Milliseconds);
                answered[i] = opened.AnsweredAt;
            });

            lost = await watch.UntilAsync(count, TimeSpan.FromSeconds(60)) ? 0 : count - watch.Arrived;
            arrivals = watch.Arrivals();
        }

        // The k-th case to answer 201 is taken to be the k-th to appear (the queue shows a count, not which case
        // arrived); a case seen before its 201 reached the client counts as 0 ms.
        var order = answered.Order().ToArray();
        var visible = Enumerable.Range(0, Math.Min(order.Length, arrivals.Length))
            .Select(k => Math.Max(0, Stopwatch.GetElapsedTime(order[k], arrivals[k]).TotalMilliseconds))
            .ToArray();

        run.Say($"freshness: {count} messages at {rate}/s with MassTransit alone");
        var raw = await RawMassTransitAsync(run, count, rate);
        var result = new Result(
            rate, count, Latency.Of(visible), Latency.Of(posts), raw, lost, (int)PollInterval.TotalMilliseconds);
        run.Say($"  201 → visible {result.Visible}; raw publish → consume {raw}");
        if (lost > 0)
        {
            run.Breached(
                "freshness", $"{lost} of {count} cases answered 201 but were not in the triage queue 60 s later");
        }

        var factor = result.Visible.P99 / raw.P99;
        run.Rows.Add(new Row(
            "2. Freshness",
            $"201 → in triage queue at {rate} cases/s ({count} cases), p50 / p95 / p99",
            $"{result.Visible.P50} / {result.Visible.P95} / {result.Visible.P99} ms",
            $"{raw.P50} / {raw.P95} / {raw.P99} ms MassTransit publish → consume",
            $"p99 {factor:0.#}×",
            rate == 50 ? "p99 ≤ 100 ms and ≤ 2× raw" : "",
            rate == 50 ? result.Visible.P99 <= 100 && factor <= 2 : null));
        return result;
    }

    /// <summary>
    /// Starts <paramref name="work"/> for 0..count-1 at <paramref name="perSecond"/>, not waiting for one to
    /// finish before the next; then waits for all.
    /// </summary>
    public static async Task AtRateAsync(int count, int perSecond, Func<int, Task> work)
    {
        var started = Stopwatch.GetTimestamp();
        var running = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var n = i;
            running.Add(Task.Run(() => work(n)));
        }

        await Task.WhenAll(running);
    }

    private static async Task<Latency> RawMassTransitAsync(BenchRun run, int count, int rate)
    {
        var latencies = new ConcurrentBag<double>();
        var consumed = new CountdownEvent(count + 1); // and the warm-up
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(run.Settings.RabbitMq));
            rabbit.ReceiveEndpoint($"bench-freshness-{run.Tag}-{rate}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<BenchPing>(context =>
                {
                    latencies.Add(Stopwatch.GetElapsedTime(context.Message.SentAt).TotalMilliseconds);
                    consumed.Signal();
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            // Warm-up: the first publish declares the exchange and binds it.
            await bus.Publish(new BenchPing(-1, Stopwatch.GetTimestamp()));
            await Task.Delay(500);
            latencies.Clear();
            await AtRateAsync(count, rate, i => bus.Publish(new BenchPing(i, Stopwatch.GetTimestamp())));
            if (!consumed.Wait(TimeSpan.FromSeconds(30)))
            {
                run.Breached(
                    "freshness",
                    $"MassTransit alone consumed {count - consumed.CurrentCount} of {count} messages within 30 s");
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        return Latency.Of(latencies);
    }
}
