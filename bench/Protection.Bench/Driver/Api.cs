using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.Bench.Driver;

/// <summary>The system's HTTP API as the benchmark uses it: tokens, opening cases, the triage queue.</summary>
public sealed class Api : IDisposable
{
    private readonly HttpClient _http;

    public Api(Uri gateway, Uri intake, Uri triage)
    {
        Gateway = gateway;
        Intake = intake;
        Triage = triage;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
        })
        { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Gateway { get; }

    public Uri Intake { get; }

    public Uri Triage { get; }

    private int _rateLimited;

    /// <summary>Requests answered 429 by the gateway's per-user limit (and retried).</summary>
    public int RateLimited => Volatile.Read(ref _rateLimited);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<string> TokenAsync(string user, params string[] roles) =>
        OrganisationTokenAsync(user, "development", roles);

    /// <summary>A development token of <paramref name="organisation"/>.</summary>
    public async Task<string> OrganisationTokenAsync(string user, string organisation, params string[] roles)
    {
        using var response = await _http.PostAsJsonAsync(
            new Uri(Gateway, "/auth/dev-token"), new { user, roles, organisation });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    /// <summary>
    /// Tokens for <paramref name="count"/> users named <c>{prefix}-{i}</c>, eight requests at a time.
    /// </summary>
    public Task<string[]> TokensAsync(string prefix, int count, params string[] roles) =>
        OrganisationTokensAsync(prefix, "development", count, roles);

    /// <summary>The same, for users of <paramref name="organisation"/>.</summary>
    public async Task<string[]> OrganisationTokensAsync(
        string prefix, string organisation, int count, params string[] roles)
    {
        var tokens = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => tokens[i] = await OrganisationTokenAsync($"{prefix}-{i}", organisation, roles));
        return tokens;
    }

    /// <summary>A case of synthetic data: nothing in it is anybody's.</summary>
    public static JsonObject CaseBody(int n) => new()
    {
        ["defender"] = new JsonObject
        {
            ["fullName"] = $"Synthetic Defender {n}",
            ["contacts"] = new JsonObject { ["phone"] = "+57 300 0000000", ["email"] = $"synthetic.{n}@example.org" },
            ["location"] = new JsonObject
            {
                ["country"] = "CO",
                ["region"] = "Cauca",
                ["exactLocation"] = $"Synthetic street {n}",
            },
        },
        ["consent"] = new JsonObject
        {
            ["dataProcessing"] = true,
            ["shareWithFunders"] = true,
            ["shareWithRelocationHost"] = false,
        },
        ["threats"] = new JsonArray(new JsonObject
        {
            ["type"] = "intimidation",
            ["perpetrator"] = "nonStateArmedGroup",
            ["occurredOn"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)).ToString("yyyy-MM-dd"),
            ["country"] = "CO",
            ["region"] = "Cauca",
            ["description"] = "Synthetic threat for the benchmark",
        }),
    };

    public sealed record Opened(Guid Id, double Milliseconds, long AnsweredAt);

    /// <summary>
    /// POST /api/cases through the gateway; retries a 429 after a short pause. Throws on anything but 201.
    /// </summary>
    public async Task<Opened> OpenCaseAsync(string token, int n, CancellationToken cancellationToken = default)
    {
        var body = CaseBody(n).ToJsonString();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway, "/api/cases"))
            {
                Content = new StringContent(body, MediaTypeHeaderValue.Parse("application/json")),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var started = Stopwatch.GetTimestamp();
            using var response = await _http.SendAsync(request, cancellationToken);
            var answeredAt = Stopwatch.GetTimestamp();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _rateLimited);
                await Task.Delay(50, cancellationToken);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException(
                    $"POST /api/cases answered {(int)response.StatusCode}: "
                    + await response.Content.ReadAsStringAsync(cancellationToken));
            }

            var created = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return new Opened(
                created.GetProperty("id").GetGuid(),
                Stopwatch.GetElapsedTime(started, answeredAt).TotalMilliseconds,
                answeredAt);
        }
    }

    /// <summary>How many cases the token's officer has in <c>GET /api/triage/queue</c> (its <c>total</c>).</summary>
    public async Task<long> QueueTotalAsync(string token, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(
            HttpMethod.Get, Gateway, "/api/triage/queue?pageSize=1", token, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref _rateLimited);
            return -1;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"GET /api/triage/queue answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync(cancellationToken));
        }

        var queue = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return queue.GetProperty("total").GetInt64();
    }

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        Uri baseUri,
        string path,
        string token,
        object? body,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>Sends and reads the whole answer; answers status, milliseconds and the body's length.</summary>
    public async Task<(HttpStatusCode Status, double Milliseconds, string Body)> TimedAsync(
        HttpMethod method,
        Uri baseUri,
        string path,
        string token,
        object? body = null,
        CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await SendAsync(method, baseUri, path, token, body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, text);
    }

    /// <summary>Polls until <paramref name="ready"/> or the deadline; answers whether it got there.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> ready, TimeSpan deadline, TimeSpan interval)
    {
        var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (await ready())
            {
                return true;
            }

            await Task.Delay(interval);
        }

        return false;
    }

    public void Dispose() => _http.Dispose();
}
