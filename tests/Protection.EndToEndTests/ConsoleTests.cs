using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// The console in a real browser (Debian's Chromium), through the gateway, signed in through the
/// identity service with a second factor: what an officer and a supervisor do, in English and Arabic,
/// with axe run on every page.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ConsoleTests(ProtectionSystem system, ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private readonly Dictionary<string, string> _organisations = [];

    [Fact]
    public async Task An_officer_opens_a_case_sees_it_high_assesses_it_covers_every_area_and_requests_a_grant()
    {
        var (officer, _, _) = await TeamAsync();
        var fund = await FundAsync();
        var page = await browser.SignedInAsync(system, officer);
        await page.Locator("h1").Filter(new() { HasText = "My cases" }).WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "my cases (empty)");

        var defender = Cases.Defender.Unique();
        var reference = await OpenCaseAsync(page, defender, "open-case-en");

        // My cases: the new case, high (a physical threat two days ago), with its deadline as a countdown.
        var row = await Eventually.Get(async () =>
        {
            await page.GotoAsync(new Uri(system.Issuer, "cases").AbsoluteUri);
            var found = page.Locator("tr", new() { HasText = reference });
            return await found.CountAsync() == 1
                && (await found.InnerTextAsync()).Contains("High", StringComparison.Ordinal)
                ? found
                : null;
        }, TimeSpan.FromSeconds(20), "the new case, high, in My cases");
        (await row.InnerTextAsync()).ShouldContain("in ");
        (await page.ContentAsync()).ShouldNotContain(defender.FullName); // lists carry no personal data
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "my cases");
        await ConsoleBrowser.ScreenshotAsync(page, "my-cases-en");
        (await browser.FirstLoadBytesAsync(page, new Uri(system.Issuer, "cases"), "my-cases"))
            .ShouldBeLessThanOrEqualTo(150 * 1024); // the page weight budget

        // Assess: the five dimensions; the reasons that fired are shown with their evidence.
        await page.ClickAsync($"a:text('{reference}')");
        await page.ClickAsync("a:text('Record an assessment')");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "assessment");
        await page.CheckAsync("#Physical-2");
        await page.CheckAsync("#Political-2");
        await page.CheckAsync("#EmotionalCognitive-1");
        await page.ClickAsync("button:text('Save the assessment')");
        var reasons = page.Locator("ul.reasons");
        await reasons.WaitForAsync();
        (await reasons.InnerTextAsync()).ShouldContain("recent-violence");
        (await reasons.InnerTextAsync()).ShouldContain("physical threat");

        // A measure in each of ICAN's four areas: every area covered.
        foreach (var (area, type) in new[]
        {
            ("LegalAndPoliticalSafetyNet", "legal-accompaniment"),
            ("ThreatsOnTheGround", "safe-house-visit"),
            ("PeaceTableAndInternationalSpaces", "un-briefing"),
            ("EmergencyAssistanceAndRelocation", "emergency-grant"),
        })
        {
            await page.SelectOptionAsync("#area", area);
            await page.FillAsync("#measureType", type);
            await page.FillAsync("#owner", "partner:ican");
            await page.ClickAsync("form[name=add-measure] button[type=submit], button:text('Add a measure')");
            await page.Locator("p.notice").WaitForAsync();
        }

        var coverage = await page.Locator("table.coverage").InnerTextAsync();
        coverage.ShouldNotContain("not covered");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "case file");
        await ConsoleBrowser.ScreenshotAsync(page, "case-file-en");
        (await browser.FirstLoadBytesAsync(page, new Uri(page.Url), "case-file")).ShouldBeLessThanOrEqualTo(150 * 1024);

        // A grant request for the case.
        await page.ClickAsync("a:text('Request a grant')");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "grant request");
        await page.FillAsync("#fundId", fund);
        await page.SelectOptionAsync("#category", "DigitalSecurity");
        await page.FillAsync("#amount", "1200");
        await page.FillAsync("#purpose", "Encrypted phones and a security audit of the office");
        await page.ClickAsync("button:text('Send the request')");
        await page.Locator("#support-heading").WaitForAsync();
        (await page.Locator("#support-heading + h3 + ul").InnerTextAsync()).ShouldContain("1,200.00 EUR");

        // Personal data pages are never stored by the browser; no inline script is allowed to run.
        var response = await page.Context.APIRequest.GetAsync(page.Url);
        response.Headers["cache-control"].ShouldContain("no-store");
        response.Headers["content-security-policy"].ShouldContain("script-src 'self'");
        response.Headers["content-security-policy"].ShouldNotContain("unsafe-inline");
        (await page.TitleAsync()).ShouldNotContain(defender.FullName);
        system.Console.Output.ShouldNotContain(defender.FullName);
    }

    [Fact]
    public async Task An_officer_downloads_her_case_list_as_filtered_in_csv_and_excel()
    {
        var (officer, _, _) = await TeamAsync();
        using var api = await ApiAsync(officer, "officer");
        foreach (var type in new[] { "digital", "physical", "digital" })
        {
            (await api.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique(), type))).StatusCode
                .ShouldBe(HttpStatusCode.Created);
        }

        var page = await browser.SignedInAsync(system, officer, landing: "cases?threatType=digital");
        var expected = (await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/cases?threatType=digital"))
            .GetProperty("items").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetGuid(), c.GetProperty("reference").GetString()!)).ToList();
        expected.Count.ShouldBe(2);

        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        csv.SuggestedFilename.ShouldBe("cases.csv");
        var lines = (await File.ReadAllLinesAsync(await csv.PathAsync())).ToList();
        lines[0].ShouldBe("id,reference,status,stage,country,threatTypes,risk,assignedTo,triageDueAt,triageOverdue,"
            + "openedBy,openedAt,organisation,shared");
        lines.Skip(1).Select(l => l.Split(',')).Select(c => (Guid.Parse(c[0]), c[1])).ShouldBe(expected);
        lines.Skip(1).ShouldAllBe(l => l.Contains(",digital,", StringComparison.Ordinal));

        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-xlsx"));
        xlsx.SuggestedFilename.ShouldBe("cases.xlsx");
        var sheet = MiniExcelLibs.MiniExcel.Query(
                await xlsx.PathAsync(), useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        sheet.Select(r => (Guid.Parse((string)r["id"]!), (string)r["reference"]!)).ShouldBe(expected);
        var exported = await page.Context.APIRequest.GetAsync(
            new Uri(system.Issuer, "cases/export.csv?threatType=digital").AbsoluteUri);
        exported.Headers["cache-control"].ShouldContain("no-store");
    }

    [Fact]
    public async Task An_officer_saves_a_filter_and_finds_it_again_in_another_visit()
    {
        var (officer, _, _) = await TeamAsync();
        var page = await browser.SignedInAsync(system, officer);
        await page.SelectOptionAsync("select[name=risk]", "high");
        await page.CheckAsync("input[name=overdue]");
        await page.ClickAsync("button:text('Filter')");
        await page.FillAsync("#filterName", "High and late");
        await page.ClickAsync("button:text('Save')");

        await page.GotoAsync(new Uri(system.Issuer, "cases").AbsoluteUri);
        var saved = page.Locator("nav.saved a", new() { HasText = "High and late" });
        (await saved.GetAttributeAsync("href"))!.ShouldContain("risk=high");
        await saved.ClickAsync();
        (await page.Locator("select[name=risk]").InputValueAsync()).ShouldBe("high");
        (await page.Locator("input[name=overdue]").IsCheckedAsync()).ShouldBeTrue();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "my cases with saved filters");
    }

    [Fact]
    public async Task A_bad_case_is_refused_with_the_problem_shown_next_to_the_field()
    {
        var (officer, _, _) = await TeamAsync();
        var page = await browser.SignedInAsync(system, officer);
        await page.GotoAsync(new Uri(system.Issuer, "cases/new").AbsoluteUri);
        await page.FillAsync("#fullName", "Someone");
        await page.FillAsync("#country", "CO");
        await page.FillAsync("#occurredOn", Cases.DaysAgoInColombia(1));
        await page.FillAsync("#description", "Threatened on the phone");
        await page.ClickAsync("button:text('Open the case')"); // consent to record the data not given

        var error = page.Locator("label.check:has(#dataProcessing) + .field-error");
        (await error.InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
        new Uri(page.Url).AbsolutePath.ShouldBe("/cases/new");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "open a case with errors");
    }

    [Fact]
    public async Task The_supervisors_queue_shows_a_new_case_by_itself_and_the_supervisor_assigns_and_overrides_it()
    {
        var (officer, supervisor, _) = await TeamAsync();
        var page = await browser.SignedInAsync(system, supervisor);
        await page.GotoAsync(new Uri(system.Issuer, "queue").AbsoluteUri);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "queue");

        // The officer opens a case (through the API); once triage has it, the open queue page shows it
        // without a reload.
        using var api = await ApiAsync(officer, "officer");
        var opened = await (await api.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique())))
            .Content.ReadFromJsonAsync<JsonObject>();
        var reference = opened!["reference"]!.GetValue<string>();
        await Eventually.Get(
            async () => (await api.GetStringAsync("/api/triage/queue?pageSize=200"))
                .Contains(reference, StringComparison.Ordinal) ? reference : null,
            TimeSpan.FromSeconds(20),
            "the case in triage's queue");
        await page.Locator("#queue tr", new() { HasText = reference }).WaitForAsync(new() { Timeout = 2_000 });
        await ConsoleBrowser.ScreenshotAsync(page, "queue-en");

        // Assign to the officer, then override the level with a reason.
        await page.ClickAsync($"a:text('{reference}')");
        await page.FillAsync("#officer", officer.Id);
        await page.ClickAsync("button:text('Assign')");
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("assigned");
        await page.SelectOptionAsync("#overrideLevel", "Critical");
        await page.FillAsync("#overrideReason", "Armed men were seen outside her home again last night");
        await page.ClickAsync("button:text('Override the risk')");
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("changed");
        (await page.Locator("#risk-heading + p").InnerTextAsync()).ShouldContain("Critical");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "case file as supervisor");

        await page.GotoAsync(new Uri(system.Issuer, "team").AbsoluteUri);
        (await page.Locator("table").InnerTextAsync()).ShouldContain(officer.Id);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "team");
    }

    [Fact]
    public async Task Another_officer_sees_no_link_to_the_case_and_its_address_shows_a_not_yours_page_without_its_data()
    {
        var (officer, _, other) = await TeamAsync();
        using var api = await ApiAsync(officer, "officer");
        var defender = Cases.Defender.Unique();
        var opened = await (await api.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(defender)))
            .Content.ReadFromJsonAsync<JsonObject>();
        var reference = opened!["reference"]!.GetValue<string>();

        var page = await browser.SignedInAsync(system, other);
        (await page.ContentAsync()).ShouldNotContain(reference);
        await page.GotoAsync(new Uri(system.Issuer, $"cases/{opened["id"]!.GetValue<string>()}").AbsoluteUri);
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Not your case");
        var html = await page.ContentAsync();
        html.ShouldNotContain(reference);
        defender.ShouldNotAppearIn(html);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "not yours");
    }

    [Fact]
    public async Task In_Arabic_the_pages_read_right_to_left_and_the_officer_flow_works()
    {
        var (officer, _, _) = await TeamAsync();

        // The sign-in page is in the browser's language too.
        await using (var context = await browser.Browser.NewContextAsync(new() { Locale = "ar" }))
        {
            var signIn = await context.NewPageAsync();
            await signIn.GotoAsync(new Uri(system.Issuer, "account/login").AbsoluteUri);
            (await signIn.GetAttributeAsync("html", "dir")).ShouldBe("rtl");
            (await signIn.Locator("h1").InnerTextAsync()).ShouldBe("تسجيل الدخول إلى Protection");
            await ConsoleBrowser.ShouldBeAccessibleAsync(signIn, "sign-in (ar)");
            await ConsoleBrowser.ScreenshotAsync(signIn, "sign-in-ar");
        }

        var page = await browser.SignedInAsync(system, officer, locale: "ar");
        (await page.GetAttributeAsync("html", "dir")).ShouldBe("rtl");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("ar");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("حالاتي");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "my cases (ar)");

        var reference = await OpenCaseAsync(page, Cases.Defender.Unique(), "open-case-ar", submit: "افتح الحالة");
        (await page.GetAttributeAsync("html", "dir")).ShouldBe("rtl");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "case file (ar)");
        await ConsoleBrowser.ScreenshotAsync(page, "case-file-ar");
        reference.ShouldStartWith("PC-");

        // The switcher changes the language for the rest of the session.
        await page.SelectOptionAsync("#language", "es");
        await page.ClickAsync("form.language button");
        (await page.GetAttributeAsync("html", "dir")).ShouldBe("ltr");
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("es");
    }

    [Fact]
    public async Task An_officer_reports_a_new_threat_requests_plans_and_cancels_a_relocation()
    {
        var (officer, _, _) = await TeamAsync();
        var page = await browser.SignedInAsync(system, officer);
        await OpenCaseAsync(page, Cases.Defender.Unique(), "open-case-for-relocation");

        await page.SelectOptionAsync("#newThreatType", "Digital");
        await page.FillAsync("#newThreatCountry", "CO");
        await page.FillAsync("#newOccurredOn", Cases.DaysAgoInColombia(1));
        await page.FillAsync("#newDescription", "Her e-mail account was broken into");
        await page.ClickAsync("button:text('Report a threat')");
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("threat was recorded");
        (await page.Locator("#threats-heading + ul").InnerTextAsync()).ShouldContain("Digital");

        await page.SelectOptionAsync("#relocationKind", "InCountrySafeHouse");
        await page.SelectOptionAsync("#relocationReason", "IncreasedRisk");
        await page.FillAsync("#familyMembers", "2");
        await page.FillAsync("#children", "1");
        await page.ClickAsync("button:text('Request a relocation')");
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("relocation was requested");
        await page.ClickAsync("a:text('Safe house in the country')");
        await page.Locator("#state-heading").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "relocation");

        await page.FillAsync("#destCountry", "CO");
        await page.FillAsync("#destCity", "Bogotá");
        await page.FillAsync("#host", "Casa Refugio Bogotá");
        await page.FillAsync(
            "#startOn",
            DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#securityPlan", "Driver from the partner network; no phone on the way");
        await page.ClickAsync("button:text('Save the plan')");
        (await page.Locator("#state-heading + p").InnerTextAsync()).ShouldContain("Planned");
        await ConsoleBrowser.ScreenshotAsync(page, "relocation-en");

        await page.FillAsync("#stepReason", "The defender decided to stay with family instead");
        await page.ClickAsync("button:text('Close the relocation')");
        (await page.Locator("#state-heading + p").InnerTextAsync()).ShouldContain("Closed");
    }

    [Fact]
    public async Task An_officer_opens_a_case_with_the_keyboard_alone()
    {
        var (officer, _, _) = await TeamAsync();
        var page = await browser.SignedInAsync(system, officer);

        await TabToAsync(page, "Open a case");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#fullName").WaitForAsync();
        await TabToAsync(page, null, "fullName");
        await page.Keyboard.TypeAsync("Keyboard Person");
        await TabToAsync(page, null, "country");
        await page.Keyboard.TypeAsync("CO");
        await TabToAsync(page, null, "dataProcessing");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, null, "occurredOn");
        // A date field takes digits in the order of the browser's language (en-GB: day, month, year).
        await page.Keyboard.TypeAsync(DateOnly.ParseExact(Cases.DaysAgoInColombia(1), "yyyy-MM-dd").ToString(
            "ddMMyyyy", System.Globalization.CultureInfo.InvariantCulture));
        await TabToAsync(page, null, "description");
        await page.Keyboard.TypeAsync("Threatening calls at night");
        await TabToAsync(page, "Open the case");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#risk-heading").WaitForAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldStartWith("Case PC-");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("fr")]
    [InlineData("ar")]
    public async Task Every_main_page_is_accessible_in_every_language(string language)
    {
        var (officer, supervisor, _) = await TeamAsync();
        using var api = await ApiAsync(officer, "officer");
        var opened = await (await api.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique())))
            .Content.ReadFromJsonAsync<JsonObject>();
        var id = opened!["id"]!.GetValue<string>();
        var page = await browser.SignedInAsync(system, supervisor, locale: language);
        (await page.GetAttributeAsync("html", "lang")).ShouldBe(language);
        (await page.GetAttributeAsync("html", "dir")).ShouldBe(language == "ar" ? "rtl" : "ltr");

        foreach (var (name, path) in new[]
        {
            ("my-cases", "cases"), ("open-case", "cases/new"), ("case-file", $"cases/{id}"),
            ("assessment", $"cases/{id}/assessment"),
            ("grant-request", $"cases/{id}/grants/new"), ("queue", "queue"), ("team", "team"),
            ("referrals", "referrals"),
        })
        {
            await page.GotoAsync(new Uri(system.Issuer, path).AbsoluteUri);
            await ConsoleBrowser.ShouldBeAccessibleAsync(page, $"{name} ({language})");
            await ConsoleBrowser.ScreenshotAsync(page, $"{name}-{language}");
        }
    }

    [Fact]
    public async Task A_case_shared_with_another_organisation_is_read_there_without_personal_data_until_revoked()
    {
        var admin = await Administration.AdministratorAsync(system);
        var (nameA, nameB) = ($"Refugio {Guid.NewGuid():N}"[..20], $"Abrigo {Guid.NewGuid():N}"[..20]);
        var organisationA = await Administration.CreateOrganisationAsync(admin, "protection", nameA);
        var organisationB = await Administration.CreateOrganisationAsync(admin, "protection", nameB);
        var officerA = await Administration.EnrolledAsync(system, admin, organisationA, "officer");
        var supervisorB = await Administration.EnrolledAsync(system, admin, organisationB, "supervisor");
        var officerB = await Administration.EnrolledAsync(system, admin, organisationB, "officer");

        // A's officer opens a case: the header and the case file name her organisation.
        var page = await browser.SignedInAsync(system, officerA);
        (await page.Locator("header .organisation").InnerTextAsync()).ShouldContain(nameA);
        var defender = Cases.Defender.Unique();
        var reference = await OpenCaseAsync(page, defender, "open-case-for-referral");
        var caseAddress = page.Url;
        var caseId = new Uri(caseAddress).Segments[^1];
        (await page.Locator("#case-owner").InnerTextAsync()).ShouldBe(nameA);
        (await page.Locator("#case-partners").InnerTextAsync()).ShouldContain("No other organisation");

        // She refers it to B as a share, without personal data.
        (await page.Locator("#referTo option").AllInnerTextsAsync()).ShouldNotContain(nameA);
        await page.SelectOptionAsync("#referTo", organisationB);
        await page.SelectOptionAsync("#referKind", "share");
        await page.FillAsync("#referReason", "She is moving to the region where B accompanies defenders");
        (await page.Locator("#referPersonalData").IsCheckedAsync()).ShouldBeFalse();
        await page.ClickAsync("button:text('Refer the case')");
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("referred");
        var referral = page.Locator("#case-referrals li", new() { HasText = nameB });
        (await referral.InnerTextAsync()).ShouldContain("Pending");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "case file with a pending referral");

        // B's officer sees the referral addressed to her organisation, but only a supervisor decides.
        var officerPage = await browser.SignedInAsync(system, officerB);
        await officerPage.ClickAsync("header nav a:text('Referrals')");
        var seen = officerPage.Locator("li.referral", new() { HasText = reference });
        (await seen.InnerTextAsync()).ShouldContain(nameA);
        (await seen.Locator("button").CountAsync()).ShouldBe(0);

        // B's supervisor reads it (no personal data anywhere) and accepts it.
        var supervisorPage = await browser.SignedInAsync(system, supervisorB);
        await supervisorPage.ClickAsync("header nav a:text('Referrals')");
        var pending = supervisorPage.Locator("li.referral", new() { HasText = reference });
        var shown = await pending.InnerTextAsync();
        shown.ShouldContain(nameA);
        shown.ShouldContain("Share");
        shown.ShouldContain("CO");
        shown.ShouldContain("Physical");
        shown.ShouldContain("She is moving to the region where B accompanies defenders");
        (await pending.Locator("dt:text('Personal data shared') + dd").InnerTextAsync()).ShouldBe("no");
        defender.ShouldNotAppearIn(await supervisorPage.ContentAsync());
        await ConsoleBrowser.ShouldBeAccessibleAsync(supervisorPage, "referrals");
        await ConsoleBrowser.ScreenshotAsync(supervisorPage, "referrals-en");
        (await supervisorPage.Context.APIRequest.GetAsync(supervisorPage.Url)).Headers["cache-control"]
            .ShouldContain("no-store");
        await pending.Locator("button:text('Accept')").ClickAsync();
        var accepted = supervisorPage.Locator("#referral-done");
        (await accepted.InnerTextAsync()).ShouldContain($"The referral of case {reference} was accepted.");
        (await accepted.Locator("a").GetAttributeAsync("href")).ShouldBe($"cases/{caseId}");
        (await supervisorPage.Locator("li.referral", new() { HasText = reference }).CountAsync()).ShouldBe(0);

        // B's officer finds it among her cases, shared with her organisation, and reads it without personal data.
        var row = await Eventually.Get(async () =>
        {
            await officerPage.GotoAsync(new Uri(system.Issuer, "cases").AbsoluteUri);
            var found = officerPage.Locator("tr", new() { HasText = reference });
            return await found.CountAsync() == 1 ? found : null;
        }, TimeSpan.FromSeconds(20), "the shared case in B's case list");
        (await row.InnerTextAsync()).ShouldContain("shared with us");
        await row.Locator($"a:text('{reference}')").ClickAsync();
        (await officerPage.Locator("#partner-banner").InnerTextAsync())
            .ShouldBe($"Shared with your organisation by {nameA}; read only.");
        var partnerView = await officerPage.ContentAsync();
        defender.ShouldNotAppearIn(partnerView);
        (await officerPage.Locator("main form").CountAsync()).ShouldBe(0);
        (await officerPage.Locator("#consent-funders").InnerTextAsync()).ShouldBe("yes");
        await ConsoleBrowser.ShouldBeAccessibleAsync(officerPage, "case file as a partner");
        await ConsoleBrowser.ScreenshotAsync(officerPage, "case-file-partner-en");

        // A's officer sees B as a partner without personal data, and changes the consent.
        await page.GotoAsync(caseAddress);
        (await page.Locator("#case-partners").InnerTextAsync()).ShouldContain(nameB);
        (await page.Locator("#case-partners").InnerTextAsync()).ShouldContain("Personal data shared: no");
        (await referral.InnerTextAsync()).ShouldContain("Accepted");
        (await page.Locator("#consentFunders").IsCheckedAsync()).ShouldBeTrue();
        await page.UncheckAsync("#consentFunders");
        await page.CheckAsync("#consentHost");
        await page.ClickAsync("button:text('Save the consent')");
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("consent was saved");
        (await page.Locator("#consent-funders").InnerTextAsync()).ShouldBe("no");
        (await page.Locator("#consent-host").InnerTextAsync()).ShouldBe("yes");
        (await page.Locator("#consentFunders").IsCheckedAsync()).ShouldBeFalse();
        await officerPage.ReloadAsync();
        (await officerPage.Locator("#consent-funders").InnerTextAsync()).ShouldBe("no");
        (await officerPage.Locator("#consent-host").InnerTextAsync()).ShouldBe("yes");

        // A's officer revokes the share: B's officer no longer finds the case.
        await referral.Locator("button:text('Revoke')").ClickAsync();
        (await page.Locator("p.notice").InnerTextAsync()).ShouldContain("referral was revoked");
        (await referral.InnerTextAsync()).ShouldContain("Revoked");
        (await referral.Locator("button").CountAsync()).ShouldBe(0);
        (await page.Locator("#case-partners").InnerTextAsync()).ShouldContain("No other organisation");
        await officerPage.GotoAsync(caseAddress);
        (await officerPage.Locator("h1").InnerTextAsync()).ShouldBe("Page not found");
        var gone = await officerPage.ContentAsync();
        gone.ShouldNotContain(reference);
        defender.ShouldNotAppearIn(gone);
        system.Console.Output.ShouldNotContain(defender.FullName);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("fr")]
    [InlineData("ar")]
    public async Task The_referral_pages_are_accessible_in_every_language(string language)
    {
        var admin = await Administration.AdministratorAsync(system);
        var organisationA = await Administration.CreateOrganisationAsync(admin, "protection");
        var organisationB = await Administration.CreateOrganisationAsync(admin, "protection");
        var officerA = await Administration.EnrolledAsync(system, admin, organisationA, "officer");
        var supervisorB = await Administration.EnrolledAsync(system, admin, organisationB, "supervisor");
        var officerB = await Administration.EnrolledAsync(system, admin, organisationB, "officer");
        using var apiA = await ApiAsync(officerA, organisationA, "officer");
        var defender = Cases.Defender.Unique();
        var opened = await Administration.Json(
            await apiA.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(defender)), HttpStatusCode.Created);
        var id = opened["id"]!.GetValue<string>();
        var referred = await Administration.Json(
            await apiA.PostAsJsonAsync(
                $"/api/cases/{id}/referrals",
                new { toOrganisation = organisationB, kind = "share", reason = "Nearer", sharePersonalData = false }),
            HttpStatusCode.Created);
        var referralId = referred["referralId"]!.ToString();

        // The caseworker's case file with its consent and referral forms.
        var owner = await browser.SignedInAsync(system, officerA, locale: language);
        await owner.GotoAsync(new Uri(system.Issuer, $"cases/{id}").AbsoluteUri);
        await owner.Locator("#referTo").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(owner, $"case file with referrals ({language})");
        await ConsoleBrowser.ScreenshotAsync(owner, $"case-file-referrals-{language}");

        // The receiving supervisor's Referrals page with its Accept and Decline forms.
        var supervisor = await browser.SignedInAsync(system, supervisorB, locale: language);
        await supervisor.GotoAsync(new Uri(system.Issuer, "referrals").AbsoluteUri);
        (await supervisor.GetAttributeAsync("html", "dir")).ShouldBe(language == "ar" ? "rtl" : "ltr");
        await supervisor.Locator($"#decline-reason-{referralId}").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(supervisor, $"referrals ({language})");
        await ConsoleBrowser.ScreenshotAsync(supervisor, $"referrals-{language}");

        // Accepted: the partner's read-only case file, with its banner.
        using var apiB = await ApiAsync(supervisorB, organisationB, "supervisor");
        (await apiB.PostAsync($"/api/cases/{id}/referrals/{referralId}/acceptance", null)).EnsureSuccessStatusCode();
        var partner = await browser.SignedInAsync(system, officerB, locale: language);
        await partner.GotoAsync(new Uri(system.Issuer, $"cases/{id}").AbsoluteUri);
        await partner.Locator("#partner-banner").WaitForAsync();
        defender.ShouldNotAppearIn(await partner.ContentAsync());
        await ConsoleBrowser.ShouldBeAccessibleAsync(partner, $"case file as a partner ({language})");
        await ConsoleBrowser.ScreenshotAsync(partner, $"case-file-partner-{language}");
    }

    /// <summary>
    /// Presses Tab until the focused element shows <paramref name="text"/> (or has <paramref name="id"/>); fails
    /// after 80 presses.
    /// </summary>
    private static async Task TabToAsync(IPage page, string? text, string? id = null)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string[]>(
                "() => [document.activeElement?.id ?? '', (document.activeElement?.innerText ?? '').trim()]");
            if ((id is not null && focused[0] == id) || (text is not null && focused[1] == text))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Tab never reached {text ?? id}.");
    }

    /// <summary>
    /// Fills in and sends the form to open a case; returns the new case's reference from the case file it lands on.
    /// </summary>
    private async Task<string> OpenCaseAsync(
        IPage page,
        Cases.Defender defender,
        string screenshot,
        string submit = "Open the case")
    {
        await page.GotoAsync(new Uri(system.Issuer, "cases/new").AbsoluteUri);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, screenshot);
        await ConsoleBrowser.ScreenshotAsync(page, screenshot);
        await page.FillAsync("#fullName", defender.FullName);
        await page.FillAsync("#phone", defender.Phone);
        await page.FillAsync("#country", "CO");
        await page.FillAsync("#region", "Cauca");
        await page.FillAsync("#exactLocation", defender.ExactLocation);
        await page.CheckAsync("#dataProcessing");
        await page.CheckAsync("#shareWithFunders");
        await page.SelectOptionAsync("#threatType", "Physical");
        await page.SelectOptionAsync("#perpetrator", "NonStateArmedGroup");
        await page.FillAsync("#occurredOn", Cases.DaysAgoInColombia(2));
        await page.FillAsync("#description", defender.ThreatDescription);
        await page.ClickAsync($"button:text('{submit}')");
        await page.WaitForURLAsync(url =>
            System.Text.RegularExpressions.Regex.IsMatch(new Uri(url).AbsolutePath, "^/cases/[0-9a-f-]{36}$"));
        var title = await page.Locator("h1").InnerTextAsync();
        return System.Text.RegularExpressions.Regex.Match(title, "PC-[0-9]{4}-[0-9]+").Value;
    }

    /// <summary>A protection organisation with an officer, a supervisor and a second officer, all enrolled.</summary>
    private async Task<(Person Officer, Person Supervisor, Person OtherOfficer)> TeamAsync()
    {
        var admin = await Administration.AdministratorAsync(system);
        var organisation = await Administration.CreateOrganisationAsync(admin, "protection");
        var team = (
            await Administration.EnrolledAsync(system, admin, organisation, "officer"),
            await Administration.EnrolledAsync(system, admin, organisation, "supervisor"),
            await Administration.EnrolledAsync(system, admin, organisation, "officer"));
        foreach (var person in new[] { team.Item1, team.Item2, team.Item3 })
        {
            _organisations[person.Id] = organisation;
        }

        return team;
    }

    /// <summary>The API as <paramref name="person"/> of the team's organisation (cases belong to one).</summary>
    private Task<HttpClient> ApiAsync(Person person, string role) =>
        ApiAsync(person, _organisations[person.Id], role);

    /// <summary>The API as <paramref name="person"/> of <paramref name="organisation"/> (development token).</summary>
    private Task<HttpClient> ApiAsync(Person person, string organisation, string role) =>
        system.SignedInFor(organisation, person.Id, [role]);

    private async Task<string> FundAsync()
    {
        using var funder = await system.SignedInAs("console-funder", "funder");
        var created = await funder.PostAsJsonAsync(
            "/api/funds",
            new { name = $"Rapid response {Guid.NewGuid():N}"[..30], currency = "EUR", openingBalance = 50_000 });
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
