using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// The administrators' console in a real browser, through the gateway: organisations, people and the erasure of
/// a case, each step checked in the API's answers; then the officer's case file reads erased.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AdministratorConsoleTests(ProtectionSystem system, ConsoleBrowser browser)
    : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task An_administrator_manages_organisations_and_people_and_erases_a_case_the_officer_reads_erased()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var admin = await Administration.AdministratorAsync(system);
        var platform = await Administration.CreateOrganisationAsync(admin, "platform");
        var protection = await Administration.CreateOrganisationAsync(admin, "protection", $"Defensoras {tag}");
        var administrator = await Administration.EnrolledAsync(system, admin, platform, "admin");
        var officer = await Administration.EnrolledAsync(system, admin, protection, "officer");
        var spare = await Administration.EnrolledAsync(system, admin, protection, "officer");

        // Organisations: the landing page; an audit body created in the console and given what it audits.
        var page = await browser.SignedInAsync(system, administrator, landing: "admin");
        await page.Locator("h1", new() { HasText = "Organisations" }).WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "organisations");
        (await page.Locator("header nav a", new() { HasText = "Administration" }).CountAsync()).ShouldBe(1);
        var auditName = $"Audit body {tag}";
        await page.FillAsync("#name", auditName);
        await page.SelectOptionAsync("#kind", "audit");
        await page.ClickAsync("button:text('Create the organisation')");
        (await page.Locator("#admin-done").InnerTextAsync()).ShouldContain(auditName);
        var auditBody = (await OrganisationsAsync()).Single(o => o!["name"]!.GetValue<string>() == auditName);
        auditBody!["kind"]!.GetValue<string>().ShouldBe("audit");
        var auditId = auditBody!["id"]!.GetValue<string>();
        await page.CheckAsync($"#audit-{auditId}-{protection}");
        await page.ClickAsync($"form:has(#audit-{auditId}-{protection}) button[type=submit]");
        (await page.Locator("#admin-done").InnerTextAsync()).ShouldContain(auditName);
        (await OrganisationsAsync()).Single(o => o!["id"]!.GetValue<string>() == auditId)!["audits"]!.AsArray()
            .Select(a => a!.GetValue<string>()).ShouldBe([protection]);
        (await page.Locator($"#organisation-{auditId}").InnerTextAsync()).ShouldContain($"Defensoras {tag}");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "organisations after changes");
        await ConsoleBrowser.ScreenshotAsync(page, "admin-organisations-en");

        // People: a person created in the console; the one-time link shown once, with the words to hand it over.
        await page.GotoAsync(new Uri(system.Issuer, $"admin/users?organisation={protection}").AbsoluteUri);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "people");
        var userName = $"new.officer.{tag}";
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#email", $"{userName}@example.org");
        await page.SelectOptionAsync("#organisationId", protection);
        await page.CheckAsync("#role-officer");
        await page.ClickAsync("button:text('Add the person')");
        var link = await page.Locator("#enrolment-link").InputValueAsync();
        link.ShouldStartWith(new Uri(system.Issuer, "account/enrol").AbsoluteUri);
        (await page.Locator("#enrolment").InnerTextAsync()).ShouldContain("safe channel");
        var created = (await UsersAsync(protection)).Single(u => u!["userName"]!.GetValue<string>() == userName);
        var createdId = created!["id"]!.GetValue<string>();
        Roles(created).ShouldBe(["officer"]);
        created["enrolled"]!.GetValue<bool>().ShouldBeFalse();
        await page.ReloadAsync();
        (await page.ContentAsync()).ShouldNotContain(link); // shown once, never kept

        // A role the organisation's kind cannot hold: the API's 422 beside the role; then a grant and a revocation.
        var row = page.Locator($"#user-{createdId}");
        await row.Locator("select[name=role]").SelectOptionAsync("auditor");
        await row.Locator("button:text('Give the role')").ClickAsync();
        (await page.Locator($"#grant-{createdId}-error").InnerTextAsync()).ShouldContain("auditor");
        Roles(await UserAsync(createdId)).ShouldBe(["officer"]);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "people with a refused role");
        await row.Locator("select[name=role]").SelectOptionAsync("supervisor");
        await row.Locator("button:text('Give the role')").ClickAsync();
        (await page.Locator("#admin-done").InnerTextAsync()).ShouldContain("Supervisor");
        Roles(await UserAsync(createdId)).ShouldBe(["officer", "supervisor"]);
        await row.Locator("button:text('Remove Officer')").ClickAsync();
        (await page.Locator("#admin-done").InnerTextAsync()).ShouldContain("no longer");
        Roles(await UserAsync(createdId)).ShouldBe(["supervisor"]);

        // Resetting an enrolled person's second factor, after a confirmation step: a new link, not enrolled.
        (await UserAsync(spare.Id))["enrolled"]!.GetValue<bool>().ShouldBeTrue();
        await page.Locator($"#user-{spare.Id} a:text('Reset the second factor')").ClickAsync();
        await page.Locator("#confirm").WaitForAsync();
        (await UserAsync(spare.Id))["enrolled"]!.GetValue<bool>().ShouldBeTrue(); // nothing done before confirming
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "confirm a reset");
        await page.ClickAsync("#confirm button:text('Yes, reset the second factor')");
        (await page.Locator("#enrolment-link").InputValueAsync()).ShouldContain("/account/enrol");
        (await UserAsync(spare.Id))["enrolled"]!.GetValue<bool>().ShouldBeFalse();

        // Deactivating, after a confirmation step: shown as deactivated.
        await page.Locator($"#user-{createdId} a:text('Deactivate')").ClickAsync();
        await page.ClickAsync("#confirm button:text('Yes, deactivate')");
        (await page.Locator("#admin-done").InnerTextAsync()).ShouldContain("deactivated");
        (await page.Locator($"#user-{createdId} td.status").InnerTextAsync()).ShouldContain("deactivated");
        (await UserAsync(createdId))["active"]!.GetValue<bool>().ShouldBeFalse();
        var html = await page.ContentAsync();
        html.ShouldNotContain("password\"", Case.Insensitive);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "people after changes");
        await ConsoleBrowser.ScreenshotAsync(page, "admin-users-en");
        var usersPage = new Uri(system.Issuer, $"admin/users?organisation={protection}");
        (await browser.FirstLoadBytesAsync(page, usersPage, "admin-users")).ShouldBeLessThanOrEqualTo(150 * 1024);
        var headers = (await page.Context.APIRequest.GetAsync(usersPage.AbsoluteUri)).Headers;
        headers["cache-control"].ShouldContain("no-store");

        // Erasure: the officer opens a case; the administrator finds it by reference and sees what goes, counted.
        using var officerApi = await system.SignedInFor(protection, officer.Id, ["officer"]);
        var defender = Cases.Defender.Unique();
        var opened = await Administration.Json(
            await officerApi.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(defender)), HttpStatusCode.Created);
        var caseId = opened["id"]!.GetValue<string>();
        var reference = opened["reference"]!.GetValue<string>();
        var erasure = new Uri(system.Issuer, $"admin/erasure?reference={reference}").AbsoluteUri;
        await page.GotoAsync(new Uri(system.Issuer, "admin/erasure").AbsoluteUri);
        await page.FillAsync("#reference", reference);
        await page.ClickAsync("button:text('Find')");
        var summary = await page.Locator("#summary").InnerTextAsync();
        summary.ShouldContain(reference);
        summary.ShouldContain("Accounts of threats, with their places: 1");
        foreach (var secret in defender.Secrets)
        {
            (await page.ContentAsync()).ShouldNotContain(secret);
        }

        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "erasure");
        await ConsoleBrowser.ScreenshotAsync(page, "admin-erasure-en");
        (await page.Context.APIRequest.GetAsync(erasure)).Headers["cache-control"].ShouldContain("no-store");

        // The same page in Arabic (right to left), then back to English.
        await page.SelectOptionAsync("#language", "ar");
        await page.ClickAsync("header form.language button");
        await page.Locator("html[dir=rtl] #summary").WaitForAsync();
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "erasure in Arabic");
        await ConsoleBrowser.ScreenshotAsync(page, "admin-erasure-ar");
        await page.SelectOptionAsync("#language", "en");
        await page.ClickAsync("header form.language button");
        await page.Locator("html[lang=en] #summary").WaitForAsync();

        // A second tab keeps the form open, to be sent after the erasure.
        var stale = await page.Context.NewPageAsync();
        await stale.GotoAsync(erasure);

        // A mistyped reference is refused beside the field, and nothing is erased.
        await page.CheckAsync("#basis-defenderRequest");
        await page.FillAsync("#confirmReference", reference + "9");
        await page.ClickAsync("button:text('Erase the personal data for good')");
        (await page.Locator("#confirmReference-error").InnerTextAsync()).ShouldContain("Nothing was erased");
        (await CaseFileAsync(officerApi, caseId))["personalData"]!.GetValue<string>().ShouldBe("visible");

        await page.FillAsync("#confirmReference", reference);
        await page.ClickAsync("button:text('Erase the personal data for good')");
        await page.WaitForURLAsync($"**/admin/erasure/{caseId}/erased");
        (await page.Locator("#erased").InnerTextAsync()).ShouldContain("destroyed");
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "erased");
        (await CaseFileAsync(officerApi, caseId))["personalData"]!.GetValue<string>().ShouldBe("erased");

        // The form still open elsewhere: the API's 409 is "already erased".
        await stale.CheckAsync("#basis-securityRisk");
        await stale.FillAsync("#confirmReference", reference);
        await stale.ClickAsync("button:text('Erase the personal data for good')");
        (await stale.Locator("#already-erased").InnerTextAsync()).ShouldContain("Already erased");
        await stale.CloseAsync();

        // The officer's case file: erased, with none of the defender's values.
        var officerPage = await browser.SignedInAsync(system, officer, landing: $"cases/{caseId}");
        await officerPage.Locator("#defender-heading").WaitForAsync();
        var caseHtml = await officerPage.ContentAsync();
        caseHtml.ShouldContain("Personal data was erased.");
        foreach (var secret in defender.Secrets)
        {
            caseHtml.ShouldNotContain(secret);
        }

        await ConsoleBrowser.ShouldBeAccessibleAsync(officerPage, "erased case file");
        await ConsoleBrowser.ScreenshotAsync(officerPage, "case-erased-en");
        system.Console.Output.ShouldNotContain(defender.FullName);
        system.Console.Output.ShouldNotContain(link);
    }

    private async Task<JsonArray> OrganisationsAsync() =>
        (await Administration.Json(
            await (await Administration.AdministratorAsync(system)).GetAsync("/api/admin/organisations"),
            HttpStatusCode.OK)).AsArray();

    private async Task<JsonArray> UsersAsync(string organisation) =>
        (await Administration.Json(
            await (await Administration.AdministratorAsync(system))
                .GetAsync($"/api/admin/users?organisationId={organisation}"),
            HttpStatusCode.OK)).AsArray();

    private async Task<JsonNode> UserAsync(string id) =>
        await Administration.Json(
            await (await Administration.AdministratorAsync(system)).GetAsync($"/api/admin/users/{id}"),
            HttpStatusCode.OK);

    private static string[] Roles(JsonNode? user) =>
        [.. user!["roles"]!.AsArray().Select(r => r!.GetValue<string>()).Order()];

    private static async Task<JsonNode> CaseFileAsync(HttpClient officer, string id) =>
        await Administration.Json(await officer.GetAsync($"/api/cases/{id}"), HttpStatusCode.OK);
}
