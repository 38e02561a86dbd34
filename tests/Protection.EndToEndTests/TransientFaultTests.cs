using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Protection.EndToEndTests;

/// <summary>
/// The database drops the service's connections in the middle of a burst: answers are 2xx, 409 or 503, never 500.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TransientFaultTests(ProtectionSystem system, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Terminating_the_services_connections_during_a_burst_is_never_a_500_and_loses_no_accepted_write()
    {
        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var existing = await funder.CreateFundAsync(1_000m);

        // Only this system's own assistance database, never another one on the same server.
        var database = new NpgsqlConnectionStringBuilder(system.DatabaseOf("assistance")) { Pooling = false };
        using var burstOver = new CancellationTokenSource();
        var terminated = 0;
        var terminator = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            // The service's own connections only: an autovacuum worker on the database belongs to the superuser.
            while (!burstOver.IsCancellationRequested)
            {
                await using var kill = new NpgsqlCommand(
                    "select count(pg_terminate_backend(pid)) from pg_stat_activity " +
                    "where datname = @db and pid <> pg_backend_pid() and usename = current_user",
                    connection);
                kill.Parameters.AddWithValue("db", database.Database!);
                terminated += (int)(long)(await kill.ExecuteScalarAsync())!;
                try
                {
                    await pace.WaitForNextTickAsync(burstOver.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        var created = new List<Guid>();
        var answers = new List<string>();
        for (var wave = 0; wave < 8; wave++)
        {
            var writes = Enumerable.Range(0, 10).Select(_ => funder.PostAsJsonAsync(
                "/api/funds",
                new { name = $"Burst {Guid.NewGuid():N}"[..30], currency = "EUR", openingBalance = 100m }));
            var topUps = Enumerable.Range(0, 5).Select(_ =>
                funder.PostAsJsonAsync($"/api/funds/{existing}/top-ups", new { amount = 1m }));
            var reads = Enumerable.Range(0, 10).Select(_ => funder.GetAsync($"/api/funds/{existing}"));
            var responses = await Task.WhenAll(writes.Concat(topUps).Concat(reads));
            foreach (var response in responses)
            {
                answers.Add(await Answer(response));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                }
            }
        }

        await burstOver.CancelAsync();
        await terminator;
        var distribution = string.Join(
            ", ", answers.GroupBy(a => a).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}"));
        output.WriteLine($"{terminated} connections terminated; {distribution}");

        terminated.ShouldBeGreaterThan(0, "the burst ran without a connection being terminated");
        answers.ShouldAllBe(
            a => a.StartsWith('2') || a.StartsWith("409") || a.StartsWith("503 retry-after"), distribution);
        created.ShouldNotBeEmpty(distribution);
        foreach (var id in created)
        {
            await Protection.Testing.Eventually.Get(
                async () =>
                    (await funder.GetAsync($"/api/funds/{id}")).StatusCode == HttpStatusCode.OK ? "there" : null,
                TimeSpan.FromSeconds(15), "an accepted fund to be readable");
        }
    }

    /// <summary>Status, whether it says when to come back, and a problem's title.</summary>
    private static async Task<string> Answer(HttpResponseMessage response)
    {
        var retry = response.Headers.RetryAfter is null ? string.Empty : " retry-after";
        var title = string.Empty;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("title", out var t))
        {
            title = $" {t.GetString()}";
        }

        return $"{(int)response.StatusCode}{retry}{title}";
    }
}
