using System.Diagnostics;
using System.Net;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Protection.Bench.Driver;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.Triage.Cases;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 4. Composing <c>GET /api/cases/{id}/history</c> through the gateway for cases of about 10, 1,000
/// and 10,000 events, beside reading the same streams straight from Marten; then rebuilding
/// triage's case projection from every event in its store, beside a sequential read of the same
/// events. A case's events are seeded through triage's own event store setup (hash-chained, as
/// the service writes them): 10,000 plan measures through the API would each answer the whole
/// case, which is not what is measured here.
/// </summary>
public static class History
{
    public sealed record Compose(
        int Events, int Runs, Latency Gateway, Latency RawRead, long Bytes, double SeedSeconds);

    public sealed record Rebuild(
        long Events,
        double Seconds,
        double EventsPerSecond,
        double RawReadSeconds,
        double RawEventsPerSecond,
        double Ratio);

    public static async Task RunAsync(BenchRun run, ServiceStores stores)
    {
        var api = run.Api;
        var officer = await api.TokenAsync($"bench-{run.Tag}-historian", "officer");
        var auditor = await api.TokenAsync($"bench-{run.Tag}-auditor", "auditor");
        var results = new List<Compose>();
        foreach (var size in run.Settings.HistorySizes)
        {
            var opened = await api.OpenCaseAsync(officer, size);
            var inTriage = await Api.UntilAsync(async () =>
            {
                await using var session = stores.TriageStore.QuerySession();
                return await session.LoadAsync<TriageCase>(opened.Id) is not null;
            }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            if (!inTriage)
            {
                run.Breached("history", $"case {opened.Id} was not taken into triage within 60 s");
                continue;
            }

            await Task.Delay(500); // intake notes what triage decided: let those events land before counting
            var seeded = Stopwatch.GetTimestamp();
            var present = (await HistoryAsync(run, opened.Id, auditor)).Entries;
            run.Say($"history: seeding a case of {size} events ({present} there)");
            await SeedAsync(stores.TriageStore, opened.Id, size - present);
            var seedSeconds = Stopwatch.GetElapsedTime(seeded).TotalSeconds;

            var runs = size >= 10_000 ? 10 : 20;
            run.Say($"history: composing it {runs} times through the gateway, "
                + $"and reading it {runs} times straight from Marten");
            var (entries, bytes) = await HistoryAsync(run, opened.Id, auditor); // warm-up, three times
            await HistoryAsync(run, opened.Id, auditor);
            await HistoryAsync(run, opened.Id, auditor);
            var composed = new List<double>();
            var raw = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await HistoryAsync(run, opened.Id, auditor);
                composed.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                await using (var intake = stores.IntakeStore.QuerySession())
                await using (var triage = stores.TriageStore.QuerySession())
                {
                    _ = (await intake.Events.FetchStreamAsync(opened.Id)).Count
                        + (await triage.Events.FetchStreamAsync(opened.Id)).Count;
                }

                raw.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var compose = new Compose(
                entries, runs, Latency.Of(composed), Latency.Of(raw), bytes, Math.Round(seedSeconds, 1));
            results.Add(compose);
            run.Say($"  {entries} events: composed {compose.Gateway}; raw read {compose.RawRead}");
            var target = size >= 10_000 ? "≤ 200 ms" : "";
            run.Rows.Add(new Row(
                "4. History",
                $"compose the history of a {entries:N0}-event case ({bytes / 1024:N0} KB), p50 / p95",
                $"{compose.Gateway.P50} / {compose.Gateway.P95} ms",
                $"{compose.RawRead.P50} / {compose.RawRead.P95} ms reading its streams from Marten",
                $"{compose.Gateway.P50 / compose.RawRead.P50:0.#}×",
                target,
                size >= 10_000 ? compose.Gateway.P50 <= 200 : null));
        }

        run.Figures["history"] = results;
        run.Figures["rebuild"] = await RebuildAsync(run, stores.TriageStore);
    }

    private static async Task<(int Entries, long Bytes)> HistoryAsync(BenchRun run, Guid caseId, string auditor)
    {
        var (status, _, body) = await run.Api.TimedAsync(
            HttpMethod.Get, run.Api.Gateway, $"/api/cases/{caseId}/history", auditor);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"GET /api/cases/{caseId}/history answered {(int)status}: {body[..Math.Min(body.Length, 300)]}");
        }

        var history = JsonDocument.Parse(body).RootElement;
        if (!history.GetProperty("complete").GetBoolean())
        {
            run.Breached(
                "history", $"the history of case {caseId} came back incomplete: {history.GetProperty("missing")}");
        }

        return (history.GetProperty("entries").GetArrayLength(), System.Text.Encoding.UTF8.GetByteCount(body));
    }

    private static async Task SeedAsync(IDocumentStore triage, Guid caseId, int events)
    {
        using var _ = OperationContext.Begin(OperationContext.System("benchmark-seed"));
        var dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30));
        for (var done = 0; done < events; done += 1_000)
        {
            await using var session = triage.LightweightSession();
            var batch = Math.Min(1_000, events - done);
            session.Events.Append(caseId, Enumerable.Range(0, batch)
                .Select(i => (object)new MeasureAdded(
                    caseId,
                    Guid.NewGuid(),
                    FrameworkArea.ThreatsOnTheGround,
                    "check-in-call",
                    "bench",
                    dueOn,
                    "benchmark-seed",
                    DateTimeOffset.UtcNow))
                .ToArray());
            await session.SaveChangesAsync();
        }
    }

    private static async Task<Rebuild> RebuildAsync(BenchRun run, IDocumentStore triage)
    {
        long events;
        await using (var session = triage.QuerySession())
        {
            events = await session.Events.QueryAllRawEvents().CountAsync();
        }

        run.Say($"rebuild: triage's case projection from its {events:N0} events");
        var started = Stopwatch.GetTimestamp();
        using (var daemon = await triage.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<TriageCase>(TimeSpan.FromMinutes(5), CancellationToken.None);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        run.Say($"rebuild: reading the same {events:N0} events in order, 1,000 at a time");
        started = Stopwatch.GetTimestamp();
        long read = 0, last = 0;
        while (true)
        {
            await using var session = triage.QuerySession();
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > last)
                .OrderBy(e => e.Sequence)
                .Take(1_000)
                .ToListAsync();
            if (page.Count == 0)
            {
                break;
            }

            read += page.Count;
            last = page[^1].Sequence;
        }

        var rawSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var result = new Rebuild(
            events,
            Math.Round(seconds, 2),
            Math.Round(events / seconds),
            Math.Round(rawSeconds, 2),
            Math.Round(read / rawSeconds),
            Math.Round(100 * (events / seconds) / (read / rawSeconds), 1));
        run.Say($"  rebuild {result.EventsPerSecond:N0} events/s; "
            + $"sequential read {result.RawEventsPerSecond:N0} events/s: {result.Ratio} %");
        run.Rows.Add(new Row(
            "4. Replay",
            $"rebuild triage's case projection ({events:N0} events)",
            $"{result.EventsPerSecond:N0} events/s ({result.Seconds} s)",
            $"{result.RawEventsPerSecond:N0} events/s sequential read ({result.RawReadSeconds} s)",
            BenchRun.Percent(result.Ratio),
            "≥ 50 %",
            result.Ratio >= 50));
        return result;
    }
}
