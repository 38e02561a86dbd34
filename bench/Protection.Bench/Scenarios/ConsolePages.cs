using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpNet;
using Protection.Bench.Driver;

namespace Protection.Bench.Scenarios;

/// <summary>
/// 7. The console's <i>My cases</i> with 50 rows, rendered on the server and fetched through the
/// gateway by a signed-in supervisor (a real session: account made with the admin API, enrolled
/// with a TOTP code, signed in through the code flow), beside the API call the page makes
/// (<c>GET /api/cases?pageSize=50</c>, same gateway, the person's token) — one at a time, interleaved.
/// </summary>
public static partial class ConsolePages
{
    public sealed record Result(int Pairs, Latency Page, Latency Api, double PageBytes, double P50AddedMilliseconds);

    private const string Password = "a long pass phrase for the benchmark";

    public static async Task RunAsync(BenchRun run)
    {
        var pairs = run.Settings.Quick ? 100 : 300;
        var admin = await run.Api.TokenAsync($"bench-{run.Tag}-admin", "admin");
        run.Say("console: a supervisor enrols and signs in through the code flow");
        // The console's redirect address is registered under the public name (localhost), not the loopback address.
        using var browser = new HttpClient(new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.All,
        })
        {
            BaseAddress = new UriBuilder(run.Api.Gateway) { Host = "localhost" }.Uri,
        };
        var (name, key, organisation) = await EnrolSupervisorAsync(run, browser, admin);
        await SignInAsync(browser, name, key);

        // Fifty cases of the supervisor's own organisation: another organisation's cases are not in her list.
        var officer = await run.Api.OrganisationTokenAsync(
            $"bench-{run.Tag}-console-officer", organisation, "officer");
        for (var i = 0; i < 50; i++)
        {
            await run.Api.OpenCaseAsync(officer, i);
        }

        // The same person's API token for the baseline: the page's own call, made straight.
        var token = await run.Api.TokenAsync($"bench-{run.Tag}-console-supervisor", "supervisor");
        var page = new List<double>();
        var api = new List<double>();
        long bytes = 0;
        for (var i = 0; i < pairs + 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var html = await browser.GetStringAsync("/cases?pageSize=50");
            var pageMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var (status, apiMs, _) = await run.Api.TimedAsync(
                HttpMethod.Get, run.Api.Gateway, "/api/cases?pageSize=50&page=1", token);
            if (status != HttpStatusCode.OK || !html.Contains("<table class=\"cases\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"console: the page or the API call failed ({(int)status})");
            }

            if (i >= 20) // warm-up
            {
                page.Add(pageMs);
                api.Add(apiMs);
                bytes += html.Length;
            }
        }

        var pageLatency = Latency.Of(page);
        var apiLatency = Latency.Of(api);
        var added = Math.Round(pageLatency.P50 - apiLatency.P50, 2);
        run.Figures["console"] = new Result(pairs, pageLatency, apiLatency, Math.Round((double)bytes / pairs), added);
        run.Say($"  page {pageLatency}; API {apiLatency}");
        run.Rows.Add(new Row("7. Console", "My cases with 50 rows through the gateway, one at a time, p50 / p99",
            $"{pageLatency.P50} / {pageLatency.P99} ms ({Math.Round((double)bytes / pairs / 1024, 1)} KB of HTML)",
            $"{apiLatency.P50} / {apiLatency.P99} ms GET /api/cases?pageSize=50",
            $"+{added} ms p50 for the server render", "≤ 50 ms p50", pageLatency.P50 <= 50));
    }

    private static async Task<(string Name, string Key, string Organisation)> EnrolSupervisorAsync(
        BenchRun run, HttpClient browser, string admin)
    {
        using var http = new HttpClient { BaseAddress = run.Api.Gateway };
        http.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        var organisation = await (await http.PostAsJsonAsync(
                "/api/admin/organisations",
                new { name = $"Bench {run.Tag} {Guid.NewGuid():N}", kind = "protection" }))
            .EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>();
        var name = $"bench-{Guid.NewGuid():N}"[..20];
        var created = await (await http.PostAsJsonAsync("/api/admin/users", new
        {
            userName = name,
            email = $"{name}@example.org",
            organisationId = organisation!["id"]!.GetValue<string>(),
            roles = new[] { "supervisor" },
        })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var link = new Uri(created!["enrolment"]!["enrolmentLink"]!.GetValue<string>());

        var form = await browser.GetStringAsync(link.PathAndQuery);
        var key = KeyAttribute().Match(form).Groups[1].Value;
        var fields = Hidden(form);
        fields["Password"] = Password;
        fields["ConfirmPassword"] = Password;
        fields["Code"] = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();
        (await browser.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(fields))).EnsureSuccessStatusCode();
        return (name, key, organisation["id"]!.GetValue<string>());
    }

    private static async Task SignInAsync(HttpClient browser, string name, string key)
    {
        using var login = await browser.GetAsync("/cases"); // → the identity service's sign-in page
        var html = await login.Content.ReadAsStringAsync();
        var fields = Hidden(html);
        fields["Name"] = name;
        fields["Password"] = Password;
        fields["Code"] = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();
        using var signedIn = await browser.PostAsync(
            login.RequestMessage!.RequestUri, new FormUrlEncodedContent(fields));
        var landed = await signedIn.Content.ReadAsStringAsync();
        if (!landed.Contains("<table class=\"cases\"", StringComparison.Ordinal)
            && !landed.Contains("class=\"filters\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"console: sign-in did not land on My cases ({signedIn.RequestMessage!.RequestUri})");
        }
    }

    private static Dictionary<string, string> Hidden(string html) =>
        InputTag().Matches(html)
            .Select(m => m.Value)
            .Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .ToDictionary(
                tag => WebUtility.HtmlDecode(Attribute(tag, "name")),
                tag => WebUtility.HtmlDecode(Attribute(tag, "value")));

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"").Groups[1].Value;

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("data-key=\"([A-Z2-7]+)\"")]
    private static partial Regex KeyAttribute();
}
