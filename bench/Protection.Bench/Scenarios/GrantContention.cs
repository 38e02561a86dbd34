using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Protection.Bench.Driver;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 6. Fifty funders approve grants drawn on one fund at once; more is requested than the fund holds,
/// so some approvals must be refused. Decisions per second, then the no-overspend invariant: the
/// fund's reservations equal the sum of the approvals the funders were told of, and it is not
/// overdrawn. Beside it, the same number of decisions as raw Marten appends to one fund stream (with
/// the expected version, retried on conflict) by fifty writers.
/// </summary>
public static class GrantContention
{
    public sealed record Result(
        int Funders, int Grants, decimal Budget, decimal Requested, int Approved, int RefusedForFunds, int Conflicts,
        double DecisionsPerSecond, Latency Decision, double RawPerSecond, decimal Reserved, decimal ApprovedSum,
        decimal Available);

    public sealed record RawGrantDecided(Guid GrantId, Guid FundId, decimal Amount, string Funder, DateTimeOffset At);

    public sealed record RawFundsReserved(Guid FundId, Guid GrantId, decimal Amount, DateTimeOffset At);

    private const int Cases = 20;

    public static async Task RunAsync(BenchRun run)
    {
        var settings = run.Settings;
        var api = run.Api;
        var officers = await api.TokensAsync($"bench-{run.Tag}-grantofficer", Cases, "officer");
        var funders = await api.TokensAsync($"bench-{run.Tag}-funder", settings.Funders, "funder");

        run.Say($"grants: opening {Cases} cases and requesting {settings.Grants} grants on one fund");
        var cases = new Guid[Cases];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Cases),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) =>
            {
                cases[i] = (await api.OpenCaseAsync(officers[i], i)).Id;
                var known = await Api.UntilAsync(async () =>
                {
                    using var response = await api.SendAsync(
                        HttpMethod.Get, api.Gateway, $"/api/cases/{cases[i]}/grants", officers[i], null);
                    return response.StatusCode == HttpStatusCode.OK;
                }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
                if (!known)
                {
                    run.Breached("grants", $"emergency assistance did not learn of case {cases[i]} within 60 s");
                }
            });

        var amounts = Enumerable.Range(0, settings.Grants)
            .Select(_ => (decimal)Random.Shared.Next(500, 4_901))
            .ToArray();
        var requested = amounts.Sum();
        var budget = Math.Round(requested / 2, 0); // about half can be approved
        var fundId = await CreateFundAsync(api, funders[0], budget);
        var grants = new ConcurrentQueue<(Guid Id, decimal Amount)>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, settings.Grants),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) =>
            {
                var body = new
                {
                    fundId,
                    amount = amounts[i],
                    currency = "EUR",
                    category = "physicalSecurity",
                    purpose = "Synthetic grant for the benchmark",
                    peopleCovered = 1,
                };
                using var response = await api.SendAsync(
                    HttpMethod.Post, api.Gateway, $"/api/cases/{cases[i % Cases]}/grants", officers[i % Cases], body);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException(
                        $"requesting a grant answered {(int)response.StatusCode}: "
                        + await response.Content.ReadAsStringAsync());
                }

                var grant = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                grants.Enqueue((grant.GetProperty("id").GetGuid(), amounts[i]));
            });

        run.Say($"grants: {settings.Funders} funders deciding {settings.Grants} grants "
            + $"on a fund of {budget:N0} EUR ({requested:N0} EUR requested)");
        var approved = new ConcurrentBag<decimal>();
        var latencies = new ConcurrentBag<double>();
        var refused = 0;
        var conflicts = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, settings.Funders),
            new ParallelOptions { MaxDegreeOfParallelism = settings.Funders },
            async (funder, _) =>
            {
                while (grants.TryDequeue(out var grant))
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        var (status, milliseconds, body) = await api.TimedAsync(
                            HttpMethod.Post,
                            api.Gateway,
                            $"/api/grants/{grant.Id}/decisions",
                            funders[funder],
                            new { decision = "approve" });
                        latencies.Add(milliseconds);
                        if (status == HttpStatusCode.OK)
                        {
                            approved.Add(
                                JsonDocument.Parse(body).RootElement.GetProperty("approvedAmount").GetDecimal());
                        }
                        else if (status == HttpStatusCode.UnprocessableEntity
                            && body.Contains("\"amount\"", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref refused);
                        }
                        else if (status is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests && attempt < 10)
                        {
                            Interlocked.Increment(ref conflicts);
                            continue;
                        }
                        else
                        {
                            throw new InvalidOperationException($"a decision answered {(int)status}: {body}");
                        }

                        break;
                    }
                }
            });
        var decisionsPerSecond = settings.Grants / Stopwatch.GetElapsedTime(started).TotalSeconds;

        run.Say($"grants: {settings.Grants} raw Marten appends to one fund stream by {settings.Funders} writers");
        var rawPerSecond = await RawAsync(run, settings.Grants, settings.Funders);

        using var fundResponse = await api.SendAsync(
            HttpMethod.Get, api.Gateway, $"/api/funds/{fundId}", funders[0], null);
        var fund = JsonDocument.Parse(await fundResponse.Content.ReadAsStringAsync()).RootElement;
        var reserved = fund.GetProperty("reserved").GetDecimal();
        var available = fund.GetProperty("available").GetDecimal();
        var approvedSum = approved.Sum();
        var result = new Result(
            settings.Funders, settings.Grants, budget, requested, approved.Count, refused, conflicts,
            Math.Round(decisionsPerSecond, 1), Latency.Of(latencies), Math.Round(rawPerSecond, 1),
            reserved, approvedSum, available);
        run.Figures["grants"] = result;
        run.Say($"  {result.DecisionsPerSecond} decisions/s ({approved.Count} approved, {refused} refused for funds, "
            + $"{conflicts} retried); raw {result.RawPerSecond}/s; reserved {reserved:N2} of {budget:N2}");

        if (reserved != approvedSum)
        {
            run.Breached(
                "grants", $"the fund reserves {reserved:N2} but the funders were told of {approvedSum:N2} approved");
        }

        if (available < 0 || reserved > budget)
        {
            run.Breached(
                "grants", $"overspend: {reserved:N2} reserved of a {budget:N2} fund ({available:N2} available)");
        }

        if (approved.Count + refused != settings.Grants)
        {
            run.Breached(
                "grants", $"{settings.Grants - approved.Count - refused} of {settings.Grants} grants got no decision");
        }

        run.Rows.Add(new Row(
            "6. Grant contention",
            $"decisions/s on one fund, {settings.Funders} funders, {settings.Grants} grants",
            $"{result.DecisionsPerSecond}/s (p50 {result.Decision.P50} ms, p99 {result.Decision.P99} ms; "
            + $"{approved.Count} approved, {refused} refused for funds)",
            $"{result.RawPerSecond}/s raw Marten appends, expected version",
            BenchRun.Percent(100 * result.DecisionsPerSecond / result.RawPerSecond),
            "",
            null));
        run.Rows.Add(new Row(
            "6. Grant contention",
            "no overspend: reserved = sum approved ≤ fund",
            $"{reserved:N0} reserved, {approvedSum:N0} approved",
            $"{budget:N0} fund",
            reserved == approvedSum && reserved <= budget ? "holds" : "BROKEN",
            "holds",
            reserved == approvedSum && reserved <= budget));
    }

    private static async Task<Guid> CreateFundAsync(Api api, string funder, decimal budget)
    {
        using var response = await api.SendAsync(
            HttpMethod.Post,
            api.Gateway,
            "/api/funds",
            funder,
            new { name = "Benchmark fund", currency = "EUR", openingBalance = budget });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"creating the fund answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync());
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<double> RawAsync(BenchRun run, int decisions, int writers)
    {
        await using var store = await RawMarten.StoreAsync(run.Settings, "raw_assistance");
        var fundId = Guid.NewGuid();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(fundId, new RawFundsReserved(fundId, Guid.Empty, 0, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, decisions),
            new ParallelOptions { MaxDegreeOfParallelism = writers },
            async (i, cancellationToken) =>
            {
                var grantId = Guid.NewGuid();
                while (true)
                {
                    await using var session = store.LightweightSession();
                    var state = await session.Events.FetchStreamStateAsync(fundId, cancellationToken);
                    session.Events.StartStream(
                        grantId, new RawGrantDecided(grantId, fundId, 100, $"funder-{i}", DateTimeOffset.UtcNow));
                    session.Events.Append(
                        fundId, state!.Version + 1, new RawFundsReserved(fundId, grantId, 100, DateTimeOffset.UtcNow));
                    try
                    {
                        await session.SaveChangesAsync(cancellationToken);
                        return;
                    }
                    catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException)
                    {
                    }
                }
            });
        return decisions / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
