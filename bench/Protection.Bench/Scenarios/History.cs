using System.Diagnostics;
using System.Net;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Protection.Bench.Driver;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.Triage.Cases;
using Protection.Triage.Cases.Rebuilding;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 4. Composing the first page (the default limit) of <c>GET /api/cases/{id}/history</c> through the gateway for
/// cases of about 10, 1,000 and 10,000 events, beside reading as many events straight from Marten, and walking
/// every page of the 10,000-event case beside reading its streams whole from Marten; then rebuilding
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
        var walks = new List<Compose>();
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
            var present = (await HistoryAsync(run, opened.Id, auditor, "?limit=1000")).Entries;
            run.Say($"history: seeding a case of {size} events ({present} there)");
            await SeedAsync(stores.TriageStore, opened.Id, size - present);
            var seedSeconds = Stopwatch.GetElapsedTime(seeded).TotalSeconds;

            var runs = size >= 10_000 ? 10 : 20;
            run.Say($"history: reading its first page {runs} times through the gateway, "
                + $"and the same number of events {runs} times straight from Marten");
            var first = await HistoryAsync(run, opened.Id, auditor, string.Empty); // warm-up, three times
            await HistoryAsync(run, opened.Id, auditor, string.Empty);
            await HistoryAsync(run, opened.Id, auditor, string.Empty);
            var composed = new List<double>();
            var raw = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await HistoryAsync(run, opened.Id, auditor, string.Empty);
                composed.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                started = Stopwatch.GetTimestamp();
                _ = await RawFirstEventsAsync(stores, opened.Id, first.Entries);
                raw.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var (entries, _) = await WalkOnceAsync(run, opened.Id, auditor);
            var compose = new Compose(
                entries, runs, Latency.Of(composed), Latency.Of(raw), first.Bytes, Math.Round(seedSeconds, 1));
            results.Add(compose);
            run.Say($"  {entries} events, first page of {first.Entries}: composed {compose.Gateway}; "
                + $"raw read {compose.RawRead}");
            run.Rows.Add(new Row(
                "4. History",
                $"history of a {entries:N0}-event case, first page ({first.Entries} entries, "
                + $"{first.Bytes / 1024:N0} KB), p50 / p95",
                $"{compose.Gateway.P50} / {compose.Gateway.P95} ms",
                $"{compose.RawRead.P50} / {compose.RawRead.P95} ms reading as many events from Marten",
                $"{compose.Gateway.P50 / compose.RawRead.P50:0.#}×",
                size >= 10_000 ? "≤ 200 ms" : "",
                size >= 10_000 ? compose.Gateway.P50 <= 200 : null));
            if (size >= 10_000)
            {
                walks.Add(await WalkAsync(run, stores, opened.Id, auditor, seedSeconds));
            }
        }

        run.Figures["historyWalk"] = walks;
        run.Figures["history"] = results;
        run.Figures["rebuild"] = await RebuildAsync(run, stores.TriageStore, Operators(stores.TriageRebuild));
    }

    /// <summary>
    /// The whole history a page after another (the most a page holds), beside reading the case's streams whole
    /// from Marten.
    /// </summary>
    private static async Task<Compose> WalkAsync(
        BenchRun run, ServiceStores stores, Guid caseId, string auditor, double seedSeconds)
    {
        const int runs = 5;
        run.Say($"history: walking every page of it {runs} times through the gateway, "
            + $"and reading its streams {runs} times straight from Marten");
        var (entries, bytes) = await WalkOnceAsync(run, caseId, auditor); // warm-up
        var walked = new List<double>();
        var raw = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await WalkOnceAsync(run, caseId, auditor);
            walked.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await using (var intake = stores.IntakeStore.QuerySession())
            await using (var triage = stores.TriageStore.QuerySession())
            {
                _ = (await intake.Events.FetchStreamAsync(caseId)).Count
                    + (await triage.Events.FetchStreamAsync(caseId)).Count;
            }

            raw.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var walk = new Compose(entries, runs, Latency.Of(walked), Latency.Of(raw), bytes, Math.Round(seedSeconds, 1));
        run.Say($"  {entries} events, every page: {walk.Gateway}; raw read {walk.RawRead}");
        run.Rows.Add(new Row(
            "4. History",
            $"history of a {entries:N0}-event case, every page of 1,000 ({bytes / 1024:N0} KB), p50 / p95",
            $"{walk.Gateway.P50} / {walk.Gateway.P95} ms",
            $"{walk.RawRead.P50} / {walk.RawRead.P95} ms reading its streams from Marten",
            $"{walk.Gateway.P50 / walk.RawRead.P50:0.#}×",
            "",
            null));
        return walk;
    }

    private static async Task<(int Entries, long Bytes)> WalkOnceAsync(BenchRun run, Guid caseId, string auditor)
    {
        var (entries, bytes) = (0, 0L);
        string? next = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await HistoryAsync(
                run, caseId, auditor, next is null ? "?limit=1000" : $"?limit=1000&after={next}");
            entries += page.Entries;
            bytes += page.Bytes;
            next = page.Next;
            if (next is not null && !seen.Add(next))
            {
                throw new InvalidOperationException($"the history of case {caseId} gave the same next cursor twice");
            }
        }
        while (next is not null);

        return (entries, bytes);
    }

    /// <summary>The first <paramref name="count"/> events of the case's intake and triage streams, by time.</summary>
    private static async Task<int> RawFirstEventsAsync(ServiceStores stores, Guid caseId, int count)
    {
        await using var intake = stores.IntakeStore.QuerySession();
        await using var triage = stores.TriageStore.QuerySession();
        return (await intake.Events.QueryAllRawEvents().Where(e => e.StreamId == caseId)
                .OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence).Take(count).ToListAsync()).Count
            + (await triage.Events.QueryAllRawEvents().Where(e => e.StreamId == caseId)
                .OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence).Take(count).ToListAsync()).Count;
    }

    private static async Task<(int Entries, long Bytes, string? Next)> HistoryAsync(
        BenchRun run, Guid caseId, string auditor, string query)
    {
        var (status, _, body) = await run.Api.TimedAsync(
            HttpMethod.Get, run.Api.Gateway, $"/api/cases/{caseId}/history{query}", auditor);
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

        return (
            history.GetProperty("entries").GetArrayLength(),
            System.Text.Encoding.UTF8.GetByteCount(body),
            history.TryGetProperty("next", out var next) ? next.GetString() : null);
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

    /// <summary>The rebuild an operator runs (<c>dotnet Protection.Triage.dll rebuild-cases</c>).</summary>
    public static Func<Task<string>> Operators(TriageRebuild rebuild) => async () =>
    {
        var rebuilt = await rebuild.RunAsync(CancellationToken.None);
        return $"rebuild-cases: {rebuilt.Cases:N0} cases, read and folded after {rebuilt.Read.TotalSeconds:0.00} s, "
            + $"all written after {rebuilt.Total.TotalSeconds:0.00} s";
    };

    /// <summary>Marten's own rebuild of the projection by its daemon (what row 4 timed before rebuild-cases).</summary>
    public static Func<Task<string>> Daemons(IDocumentStore triage) => async () =>
    {
        using var daemon = await triage.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<TriageCase>(TimeSpan.FromMinutes(5), CancellationToken.None);
        return "Marten's daemon";
    };

    public static async Task<Rebuild> RebuildAsync(BenchRun run, IDocumentStore triage, Func<Task<string>> rebuild)
    {
        long events;
        await using (var session = triage.QuerySession())
        {
            events = await session.Events.QueryAllRawEvents().CountAsync();
        }

        // Read once untimed first, so the timed rebuild and the timed read start from the same caches: the read
        // used to follow the rebuild, which had just brought the events into them.
        run.Say($"rebuild: reading triage's {events:N0} events once (warm-up, untimed)");
        await ReadInOrderAsync(triage);
        run.Say($"rebuild: triage's case projection from its {events:N0} events");
        var started = Stopwatch.GetTimestamp();
        var rebuilt = await rebuild();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        run.Say($"rebuild: reading the same {events:N0} events in order, 1,000 at a time");
        started = Stopwatch.GetTimestamp();
        var read = await ReadInOrderAsync(triage);
        var rawSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var result = new Rebuild(
            events,
            Math.Round(seconds, 2),
            Math.Round(events / seconds),
            Math.Round(rawSeconds, 2),
            Math.Round(read / rawSeconds),
            Math.Round(100 * (events / seconds) / (read / rawSeconds), 1));
        run.Say($"  rebuild {result.EventsPerSecond:N0} events/s ({result.Seconds} s; {rebuilt}); "
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

    /// <summary>Every event of the store in order, 1,000 at a time, as the rebuild's baseline reads them.</summary>
    private static async Task<long> ReadInOrderAsync(IDocumentStore store)
    {
        long read = 0, last = 0;
        while (true)
        {
            await using var session = store.QuerySession();
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > last)
                .OrderBy(e => e.Sequence)
                .Take(1_000)
                .ToListAsync();
            if (page.Count == 0)
            {
                return read;
            }

            read += page.Count;
            last = page[^1].Sequence;
        }
    }
}
