using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace Protection.EndToEndTests;

/// <summary>
/// The console for funders in a real browser (Debian's Chromium), through the gateway: the grant inbox, a grant's
/// four-eyes decision, a tranche, the fund's figures and the list's exports. The people are real accounts signed in
/// through the identity service; the case, fund and grants are set up through the API with their ids.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class FunderConsoleTests(ProtectionSystem system, ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    // The test process runs without ICU: the invariant culture groups and rounds amounts as English does.
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    [Fact]
    public async Task Two_funders_approve_a_7000_grant_its_requester_cannot_a_tranche_is_paid_and_the_fund_follows()
    {
        // A protection organisation that holds a fund; one of its people is both officer and funder.
        var admin = await Administration.AdministratorAsync(system);
        var organisation = await Administration.CreateOrganisationAsync(admin, "protection");
        var requester = await EnrolledAsync(admin, organisation, "officer", "funder");
        var first = await EnrolledAsync(admin, organisation, "funder");
        var second = await EnrolledAsync(admin, organisation, "funder");
        using var requesterApi = await system.SignedInFor(organisation, requester.Id, ["officer", "funder"]);
        using var funderApi = await system.SignedInFor(organisation, first.Id, ["funder"]);
        var fundId = await funderApi.CreateFundAsync(20_000m);
        var defender = Cases.Defender.Unique();
        var (caseId, reference) = await requesterApi.OpenAsync(
            defender, Cases.Threat(defender, "physical", daysAgo: 1));
        await requesterApi.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var grantId = await RequestAsync(requesterApi, caseId, fundId, 7_000m);
        var smaller = new[] { await RequestAsync(requesterApi, caseId, fundId, 1_000m),
            await RequestAsync(requesterApi, caseId, fundId, 500m) };

        // The requester sees the grant but cannot decide it: the page says why instead of the form.
        var own = await browser.SignedInAsync(system, requester, landing: $"grants/{grantId}");
        (await own.Locator("#own-request").InnerTextAsync()).ShouldContain("You requested this grant yourself");
        (await own.Locator("#decide-full").CountAsync()).ShouldBe(0);
        (await own.Locator("h1").InnerTextAsync()).ShouldContain(reference);
        await ConsoleBrowser.ShouldBeAccessibleAsync(own, "a grant the reader requested");
        await own.Context.CloseAsync();

        // Funder 1: the inbox, pending first, with the countdown and the four-eyes state.
        var page = await browser.SignedInAsync(system, first, landing: "grants");
        var row = page.Locator($"tr[data-grant='{grantId}']");
        var rowText = await row.InnerTextAsync();
        rowText.ShouldContain(reference);
        rowText.ShouldContain("7,000.00");
        rowText.ShouldContain("Waiting for a decision");
        rowText.ShouldContain("0 of 2 · 2 more needed");
        rowText.ShouldContain("Physical security");
        (await row.Locator("time").InnerTextAsync()).Trim().ShouldStartWith("in ");
        (await page.Locator("tbody tr").CountAsync()).ShouldBe(3);
        (await page.ContentAsync()).ShouldNotContain(defender.FullName);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "grant inbox");
        await ConsoleBrowser.ScreenshotAsync(page, "funder-inbox-en");
        (await browser.FirstLoadBytesAsync(page, new Uri(system.Issuer, "grants"), "funder-inbox"))
            .ShouldBeLessThanOrEqualTo(150 * 1024);
        var response = await page.Context.APIRequest.GetAsync(page.Url);
        response.Headers["cache-control"].ShouldContain("no-store");

        // The same inbox in Arabic, right to left; then back to English.
        await page.SelectOptionAsync("#language", "ar");
        await page.ClickAsync("form.language button");
        await page.Locator("html[dir=rtl]").WaitForAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("صندوق طلبات المنح");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "grant inbox (ar)");
        await ConsoleBrowser.ScreenshotAsync(page, "funder-inbox-ar");
        await page.SelectOptionAsync("#language", "en");
        await page.ClickAsync("form.language button");
        await page.Locator("html[dir=ltr]").WaitForAsync();

        // The grant: more than was asked is refused beside the amount; then funder 1 approves in full.
        await page.ClickAsync($"tr[data-grant='{grantId}'] a");
        await page.Locator("#decide").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "grant page");
        await page.CheckAsync("#decide-part");
        await page.FillAsync("#decide-amount", "7500");
        await page.ClickAsync("button:text('Record the decision')");
        (await page.Locator("#decide-amount-error").InnerTextAsync()).ShouldContain("7,000.00 EUR requested");
        await page.CheckAsync("#decide-full");
        await page.FillAsync("#decide-amount", string.Empty);
        await page.ClickAsync("button:text('Record the decision')");
        (await page.Locator("#done").InnerTextAsync()).ShouldBe("Your approval was recorded.");
        var approvals = await page.Locator("#grant-approvals").InnerTextAsync();
        approvals.ShouldContain("1 of 2");
        approvals.ShouldContain("(you)");
        approvals.ShouldContain("1 more needed");
        (await page.Locator("#grant-status").InnerTextAsync()).ShouldBe("Waiting for a decision");
        (await page.Locator("#approved-already").CountAsync()).ShouldBe(1);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "grant page after one approval");
        await ConsoleBrowser.ScreenshotAsync(page, "funder-grant-en");
        await page.Context.CloseAsync();

        // Funder 2 approves: the grant is approved for 7,000 and the fund reserves it.
        var second2 = await browser.SignedInAsync(system, second, landing: $"grants/{grantId}");
        await second2.ClickAsync("button:text('Record the decision')");
        await second2.Locator("#done").WaitForAsync();
        (await second2.Locator("#grant-status").InnerTextAsync()).ShouldBe("Approved");
        Money(await second2.Locator("#grant-approved").InnerTextAsync()).ShouldBe("7,000.00 EUR");
        await funderApi.ShouldHaveFund(fundId, balance: 20_000m, reserved: 7_000m, disbursed: 0m, available: 13_000m);

        // A tranche: the whole 7,000 at once is refused beside the amount (above 6,000 it is paid in tranches).
        await second2.FillAsync("#tranche-amount", "7000");
        await second2.ClickAsync("button:text('Record the payment')");
        (await second2.Locator("#tranche-amount-error").InnerTextAsync()).ShouldContain("at least two tranches");
        // Someone pays 1,000 meanwhile: the page's payment, pinned to the version it showed, is refused (409).
        (await funderApi.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 1_000m }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await second2.FillAsync("#tranche-amount", "3000");
        await second2.ClickAsync("button:text('Record the payment')");
        (await second2.Locator("#refusal").InnerTextAsync()).ShouldContain("changed meanwhile");
        await second2.ClickAsync("#refusal a");
        await second2.Locator("#refusal").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await second2.FillAsync("#tranche-amount", "3000");
        await second2.ClickAsync("button:text('Record the payment')");
        (await second2.Locator("#done").InnerTextAsync()).ShouldBe("The payment was recorded.");
        Money(await second2.Locator("#grant-disbursed").InnerTextAsync()).ShouldBe("4,000.00 EUR");
        Money(await second2.Locator("#grant-still").InnerTextAsync()).ShouldBe("3,000.00 EUR");
        (await second2.Locator("#grant-status").InnerTextAsync()).ShouldBe("Partly paid");
        (await second2.Locator("#tranche-list li").CountAsync()).ShouldBe(2);

        // The fund's page shows the figures the API gives: 4,000 paid out, 3,000 still reserved.
        await funderApi.ShouldHaveFund(
            fundId, balance: 16_000m, reserved: 3_000m, disbursed: 4_000m, available: 13_000m);
        var fund = await funderApi.GetFromJsonAsync<JsonElement>($"/api/funds/{fundId}");
        await second2.ClickAsync("nav a:text('Funds')");
        await second2.Locator($"tr[data-fund='{fundId}']").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(second2, "funds");
        await second2.ClickAsync($"tr[data-fund='{fundId}'] a");
        await second2.Locator("#fund-figures").WaitForAsync();
        foreach (var (id, figure) in new[]
        {
            ("#fund-balance", "balance"), ("#fund-reserved", "reserved"), ("#fund-disbursed", "disbursed"),
            ("#fund-available", "available"),
        })
        {
            Money(await second2.Locator(id).InnerTextAsync())
                .ShouldBe($"{fund.GetProperty(figure).GetDecimal().ToString("N2", English)} EUR", figure);
        }

        Money(await second2.Locator("#fund-balance").InnerTextAsync()).ShouldBe("16,000.00 EUR");
        Money(await second2.Locator("#fund-available").InnerTextAsync()).ShouldBe("13,000.00 EUR");
        await ConsoleBrowser.ShouldBeAccessibleAsync(second2, "fund page");
        await ConsoleBrowser.ScreenshotAsync(second2, "funds-en");
        // A top-up adds to the balance and what is available, nothing else.
        await second2.FillAsync("#topup-amount", "500");
        await second2.ClickAsync("button:text('Add the money')");
        (await second2.Locator("#done").InnerTextAsync()).ShouldBe("The money was added to the fund.");
        Money(await second2.Locator("#fund-available").InnerTextAsync()).ShouldBe("13,500.00 EUR");
        await funderApi.ShouldHaveFund(
            fundId, balance: 16_500m, reserved: 3_000m, disbursed: 4_000m, available: 13_500m);

        // The exports of the inbox as filtered (pending only): the same grants as the API's filtered list.
        await second2.GotoAsync(new Uri(system.Issuer, "grants?status=pending").AbsoluteUri);
        (await second2.Locator("select[name=status]").InputValueAsync()).ShouldBe("pending");
        var listed = await ListedAsync(funderApi, "status=pending");
        listed.Select(g => g.Id).ShouldBe(smaller, ignoreOrder: true);
        var csv = await DownloadAsync(second2, "#export-csv");
        var csvRows = ReadCsv(await File.ReadAllTextAsync(csv));
        csvRows.Select(r => (Guid.Parse(r["id"]), r["reference"],
            decimal.Parse(r["requested"], CultureInfo.InvariantCulture), r["status"]))
            .ShouldBe(listed.Select(g => (g.Id, g.Reference, g.Requested, g.Status)));
        var xlsx = await DownloadAsync(second2, "#export-xlsx");
        var sheet = MiniExcel.Query(xlsx, useHeaderRow: true, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        sheet.Select(r => (Guid.Parse((string)r["id"]!), (string)r["reference"]!,
                Convert.ToDecimal(r["requested"], CultureInfo.InvariantCulture), (string)r["status"]!))
            .ShouldBe(listed.Select(g => (g.Id, g.Reference, g.Requested, g.Status)));
        sheet[0].Keys.ShouldNotContain("purpose"); // no texts leave in an export
        var exported = await second2.Context.APIRequest.GetAsync(
            new Uri(system.Issuer, "grants/export.xlsx?status=pending").AbsoluteUri);
        exported.Status.ShouldBe(200);
        exported.Headers["cache-control"].ShouldContain("no-store");
        exported.Headers["content-disposition"].ShouldStartWith("attachment");
        system.Console.Output.ShouldNotContain(defender.FullName);
    }

    private sealed record Listed(Guid Id, string Reference, decimal Requested, string Status);

    /// <summary>The API's list with <paramref name="query"/>, every page, in its order.</summary>
    private static async Task<List<Listed>> ListedAsync(HttpClient api, string query)
    {
        var all = new List<Listed>();
        for (var page = 1; ; page++)
        {
            var list = await api.GetFromJsonAsync<JsonElement>($"/api/grants?{query}&pageSize=200&page={page}");
            var items = list.GetProperty("items").EnumerateArray().Select(g => new Listed(
                g.GetProperty("id").GetGuid(), g.GetProperty("caseReference").GetString()!,
                g.GetProperty("requestedAmount").GetDecimal(), g.GetProperty("status").GetString()!)).ToList();
            all.AddRange(items);
            if (items.Count < 200)
            {
                return all;
            }
        }
    }

    private static async Task<string> DownloadAsync(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(link));
        download.SuggestedFilename.ShouldBe($"grants-pending.{link.Split('-')[^1]}");
        return await download.PathAsync();
    }

    private static List<Dictionary<string, string>> ReadCsv(string text)
    {
        using var reader = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        return reader.GetRecords<dynamic>()
            .Select(r => ((IDictionary<string, object>)r)
                .ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty))
            .ToList();
    }

    /// <summary>Amounts are written with a no-break space before the currency.</summary>
    private static string Money(string text) => text.Replace('\u00A0', ' ').Trim();

    private static async Task<Guid> RequestAsync(HttpClient officer, Guid caseId, Guid fundId, decimal amount)
    {
        var requested = await officer.PostAsJsonAsync(
            $"/api/cases/{caseId}/grants", Funds.GrantBody(fundId, amount, "physicalSecurity"));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        return (await requested.Json()).GetProperty("id").GetGuid();
    }

    /// <summary>An enrolled account of <paramref name="organisation"/> with all of <paramref name="roles"/>.</summary>
    private async Task<Person> EnrolledAsync(HttpClient admin, string organisation, params string[] roles)
    {
        var name = $"{roles[^1]}-{Guid.NewGuid():N}"[..24];
        var created = await Administration.Json(
            await Administration.CreateAccountAsync(admin, name, organisation, roles), HttpStatusCode.Created);
        using var enrolment = new Browser(system);
        var (key, _) = await enrolment.EnrolAsync(
            new Uri(created["enrolment"]!["enrolmentLink"]!.GetValue<string>()), Administration.Password);
        return new Person(name, created["user"]!["id"]!.GetValue<string>(), key);
    }
}
