using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// The auditor's console in a real browser (Debian's Chromium), through the gateway, signed in through the
/// identity service: find a case by its reference, read its timeline across the four services, filter it,
/// travel back to a moment before its grant, verify its chains, read its access log and download its exports;
/// an auditor of another body is told there is no case they may audit.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AuditorConsoleTests(ProtectionSystem system, ConsoleBrowser browser)
    : IClassFixture<ConsoleBrowser>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_auditor_finds_a_case_reads_its_timeline_as_it_was_verifies_it_and_downloads_its_history()
    {
        // Organisation A's case, audited by one body; another body audits someone else.
        var admin = await Administration.AdministratorAsync(system);
        var organisationA = await Administration.CreateOrganisationAsync(admin, "protection");
        var organisationB = await Administration.CreateOrganisationAsync(admin, "protection");
        var body = await Administration.CreateOrganisationAsync(admin, "audit");
        var otherBody = await Administration.CreateOrganisationAsync(admin, "audit");
        await Administration.Json(await SetAuditedAsync(admin, body, organisationA), HttpStatusCode.OK);
        await Administration.Json(await SetAuditedAsync(admin, otherBody, organisationB), HttpStatusCode.OK);
        var auditor = await Administration.EnrolledAsync(system, admin, body, "auditor");
        var otherAuditor = await Administration.EnrolledAsync(system, admin, otherBody, "auditor");

        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = await system.SignedInFor(organisationA, officerId, ["officer"]);
        var defender = Cases.Defender.Unique();
        var (caseId, reference) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 1));
        var auditorApi = await system.SignedInFor(body, auditor.Id, ["auditor"], audits: [organisationA]);
        var history = $"/api/cases/{caseId}/history";
        var opened = await auditorApi.WaitForAsync(history, h => h.GetProperty("complete").GetBoolean()
            && h.GetProperty("state").GetProperty("triage").ValueKind == JsonValueKind.Object, "triage to know it");
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");

        // T: a whole second after the case was opened (the control takes seconds), before any grant.
        var openedAt = opened.GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("at").GetDateTimeOffset()).Max();
        var t = (await Eventually.Get(
            () =>
            {
                var now = Truncated(DateTimeOffset.UtcNow);
                return Task.FromResult(now > openedAt ? new Moment(now) : null);
            },
            Patience,
            "a second boundary after the case's events",
            TimeSpan.FromMilliseconds(100))).At;

        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var fundId = await funder.CreateFundAsync(20_000m);
        var requested = await officer.PostAsJsonAsync(
            $"/api/cases/{caseId}/grants", Funds.GrantBody(fundId, 1_200m, "digitalSecurity"));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var grantId = (await requested.Json()).GetProperty("id").GetGuid();
        var settled = await auditorApi.WaitForAsync(history, h => h.GetProperty("complete").GetBoolean()
            && Types(h).Contains("assistance:GrantRequested"), "the grant in the case's history");
        var entryCount = settled.GetProperty("entries").GetArrayLength();

        // Find the case by its reference, from the auditor's landing page.
        var page = await browser.SignedInAsync(system, auditor, landing: "audit");
        await page.Locator("h1").Filter(new() { HasText = "Find a case to audit" }).WaitForAsync();
        (await page.Locator("header nav a[href='audit']").InnerTextAsync()).ShouldBe("Audit");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "find a case");
        await page.FillAsync("#reference", reference.ToLowerInvariant());
        await page.ClickAsync("button:text('Find the case')");
        await page.WaitForURLAsync($"**/audit/cases/{caseId}");

        // The timeline: every service's events, the grant's among them, and the case as it stands now.
        var rows = page.Locator("#timeline tbody tr");
        (await rows.CountAsync()).ShouldBe(entryCount);
        (await page.Locator("#timeline tr[data-service=assistance][data-type=GrantRequested]").CountAsync())
            .ShouldBe(1);
        (await page.Locator("#timeline tr[data-type=CaseOpened] td").Nth(2).InnerTextAsync()).ShouldBe("Case opened");
        (await page.Locator("#state-grants li.grant-state").InnerTextAsync()).ShouldContain("Digital security");
        (await page.Locator("h1").InnerTextAsync()).ShouldContain(reference);
        var content = await page.ContentAsync();
        foreach (var secret in defender.Secrets)
        {
            content.ShouldNotContain(secret);
        }

        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "audit timeline");
        await ConsoleBrowser.ScreenshotAsync(page, "auditor-timeline-en");
        var timeline = new Uri(page.Url);
        (await browser.FirstLoadBytesAsync(page, timeline, "auditor-timeline")).ShouldBeLessThanOrEqualTo(150 * 1024);
        var headers = await page.Context.APIRequest.GetAsync(timeline.AbsoluteUri);
        headers.Headers["cache-control"].ShouldContain("no-store");

        // Filters, kept in the address: by service, by actor, by event type.
        await FilterAsync(page, service: "assistance");
        new Uri(page.Url).Query.ShouldContain("service=assistance");
        (await Attributes(rows, "data-service")).ShouldSatisfyAllConditions(
            s => s.ShouldNotBeEmpty(), s => s.ShouldAllBe(v => v == "assistance"));
        await FilterAsync(page, actor: officerId);
        (await Attributes(rows, "data-actor")).ShouldSatisfyAllConditions(
            a => a.ShouldNotBeEmpty(), a => a.ShouldAllBe(v => v == officerId));
        (await Attributes(rows, "data-type")).ShouldContain("GrantRequested");
        await FilterAsync(page, type: "GrantRequested");
        (await Attributes(rows, "data-type")).ShouldBe(["GrantRequested"]);

        // As of T: the history up to then and the case as it stood, without the grant.
        await page.GotoAsync(timeline.AbsoluteUri);
        await page.FillAsync("#asOf", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        await page.ClickAsync("button:text('Show the case then')");
        await page.Locator("#as-of-note").WaitForAsync();
        new Uri(page.Url).Query.ShouldContain("asOf=");
        var then = await Attributes(rows, "data-type");
        then.ShouldContain("CaseOpened");
        then.ShouldNotContain("GrantRequested");
        (await Attributes(rows, "data-service")).ShouldNotContain("assistance");
        (await page.Locator("#state-grants").InnerTextAsync()).ShouldContain("No grant had been requested.");
        (await page.Locator("#state-grants li.grant-state").CountAsync()).ShouldBe(0);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "audit timeline as of a moment");
        await ConsoleBrowser.ScreenshotAsync(page, "auditor-asof-en");

        // And back to the present: the grant again.
        await page.ClickAsync("a:text('Back to the present')");
        await page.Locator("#state-grants li.grant-state").WaitForAsync();
        (await Attributes(rows, "data-type")).ShouldContain("GrantRequested");

        // Verify: intact.
        await page.ClickAsync("nav.audit-pages a:text('Verify')");
        var verdict = page.Locator("#verdict-text");
        await verdict.WaitForAsync(new() { Timeout = 60_000 });
        (await verdict.InnerTextAsync()).ShouldContain("Intact: every link of every record matches.");
        (await page.Locator("#verdict.verdict-intact").CountAsync()).ShouldBe(1);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "verification");
        await ConsoleBrowser.ScreenshotAsync(page, "auditor-verify-en");

        // The access log: the auditor's own reads are in it.
        await page.ClickAsync("nav.audit-pages a:text('Access log')");
        var reads = page.Locator($"#access-log tr[data-reader='{auditor.Id}']");
        await reads.First.WaitForAsync();
        var what = await Attributes(reads, "data-what");
        what.ShouldContain("history");
        what.ShouldContain("verification");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "access log");

        // The exports, downloaded through the console: one line (row) per event of this case.
        string[] streams = [caseId.ToString(), grantId.ToString()];
        var jsonl = await DownloadAsync(page, "Download as JSON lines", $"{reference}-history.jsonl");
        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        entryCount = (await auditorApi.GetAsync(history).OkJson()).GetProperty("entries").GetArrayLength();
        lines.Length.ShouldBe(entryCount);
        foreach (var line in lines.Select(l => JsonDocument.Parse(l).RootElement))
        {
            streams.ShouldContain(line.GetProperty("stream").GetString());
            line.GetProperty("hash").GetString()!.Length.ShouldBe(64);
        }

        var csv = Csv(await DownloadAsync(page, "Download as CSV", $"{reference}-history.csv"));
        csv[0][..4].ShouldBe(["At", "Service", "StreamKind", "Stream"]);
        csv.Count.ShouldBe(entryCount + 1);
        csv.Skip(1).ShouldAllBe(row => streams.Contains(row[3]));
        foreach (var secret in defender.Secrets)
        {
            jsonl.ShouldNotContain(secret);
        }

        var download = await page.Context.APIRequest.GetAsync(
            new Uri(system.Issuer, $"audit/cases/{caseId}/export.csv").AbsoluteUri);
        download.Headers["content-disposition"].ShouldBe($"attachment; filename={reference}-history.csv");
        download.Headers["cache-control"].ShouldContain("no-store");

        // The page a refused export (503, services missing) leads to: what was missing, and what to do.
        var refusedPage = $"audit/cases/{caseId}/export-refused?status=503&missing=triage&missing=%3Cb%3E";
        var refused = await page.Context.APIRequest.GetAsync(new Uri(system.Issuer, refusedPage).AbsoluteUri);
        refused.Status.ShouldBe(503);
        var refusal = await refused.TextAsync();
        refusal.ShouldContain("Triage did not answer just now");
        refusal.ShouldContain("Try again in a few minutes");
        refusal.ShouldNotContain("&lt;b&gt;");

        // In Arabic, right to left.
        await page.GotoAsync(timeline.AbsoluteUri);
        await page.SelectOptionAsync("#language", "ar");
        await page.ClickAsync("form.language button[type=submit]");
        await page.Locator("html[dir=rtl]").WaitForAsync();
        await page.Locator("#timeline").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "audit timeline in Arabic");
        await ConsoleBrowser.ScreenshotAsync(page, "auditor-timeline-ar");

        // An auditor of another body: the same answer as for a reference that names no case.
        var other = await browser.SignedInAsync(system, otherAuditor, landing: "audit");
        var refusals = new List<string>();
        foreach (var wanted in new[] { reference, "PC-1999-999999" })
        {
            await other.FillAsync("#reference", wanted);
            await other.ClickAsync("button:text('Find the case')");
            await other.WaitForURLAsync(url => url.Contains("reference=", StringComparison.Ordinal));
            refusals.Add(await other.Locator("#reference-error").InnerTextAsync());
            new Uri(other.Url).AbsolutePath.ShouldBe("/audit");
        }

        refusals.Distinct().ShouldBe(["There is no case with this reference that you may audit. " +
            "Check the reference and try again."]);
        await ConsoleBrowser.ShouldBeAccessibleAsync(other, "find a case, none");
        await other.GotoAsync(timeline.AbsoluteUri);
        (await other.Locator("h1").InnerTextAsync()).ShouldBe("Page not found");
        (await other.ContentAsync()).ShouldNotContain(reference);
    }

    private sealed record Moment(DateTimeOffset At);

    private static Task<HttpResponseMessage> SetAuditedAsync(
        HttpClient admin, string auditBody, params string[] organisations) =>
        admin.PutAsJsonAsync($"/api/admin/organisations/{auditBody}/audited", new { organisations });

    private static DateTimeOffset Truncated(DateTimeOffset moment) =>
        new(moment.Ticks - (moment.Ticks % TimeSpan.TicksPerSecond), moment.Offset);

    private static HashSet<string> Types(JsonElement history) =>
        history.GetProperty("entries").EnumerateArray()
            .Select(e => $"{e.GetProperty("service").GetString()}:{e.GetProperty("type").GetString()}")
            .ToHashSet();

    /// <summary>Submits the timeline's filter form with only the given filter chosen.</summary>
    private static async Task FilterAsync(IPage page, string service = "", string actor = "", string type = "")
    {
        await page.SelectOptionAsync("#service", service);
        await page.SelectOptionAsync("#actor", actor);
        await page.SelectOptionAsync("#type", type);
        var before = page.Url;
        await page.ClickAsync("form.filters button[type=submit]");
        await page.WaitForURLAsync(url => url != before);
        await page.Locator("#timeline").WaitForAsync();
    }

    private static async Task<string[]> Attributes(ILocator rows, string name)
    {
        var values = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            values.Add(await rows.Nth(i).GetAttributeAsync(name) ?? string.Empty);
        }

        return [.. values];
    }

    private static async Task<string> DownloadAsync(IPage page, string link, string fileName)
    {
        var download = await page.RunAndWaitForDownloadAsync(
            () => page.ClickAsync($"nav.audit-pages a:text('{link}')"),
            new() { Timeout = 60_000 });
        download.SuggestedFilename.ShouldBe(fileName);
        (await download.FailureAsync()).ShouldBeNull();
        return await File.ReadAllTextAsync((await download.PathAsync())!, Encoding.UTF8);
    }

    /// <summary>RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks.</summary>
    private static List<string[]> Csv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(cell.ToString().TrimEnd('\r'));
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }
}
