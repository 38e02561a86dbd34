using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// Organisations in the identity service, through the gateway: the organisations an audit body is granted
/// reach its auditors' access tokens (<c>audits</c>) from the next token on, refused grants store nothing,
/// the directory names every organisation to anyone signed in, and protection organisations hold funders.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class OrganisationsTests(ProtectionSystem system)
{
    private const string Password = Administration.Password;

    [Fact]
    public async Task An_auditors_access_token_names_the_organisations_their_body_audits_from_the_next_token_on()
    {
        var admin = await Administration.AdministratorAsync(system);
        var first = await Administration.CreateOrganisationAsync(admin, "protection");
        var second = await Administration.CreateOrganisationAsync(admin, "protection");
        var body = await Administration.CreateOrganisationAsync(admin, "audit");

        var granted = await Administration.Json(await SetAuditedAsync(admin, body, first), HttpStatusCode.OK);
        Ids(granted["audits"]).ShouldBe([first]);
        var listed = await Administration.Json(await admin.GetAsync("/api/admin/organisations"), HttpStatusCode.OK);
        Ids(View(listed, body)["audits"]).ShouldBe([first]);
        Ids(View(listed, first)["audits"]).ShouldBeEmpty();

        var auditor = await Administration.EnrolledAsync(system, admin, body, "auditor");
        using var browser = new Browser(system);
        var tokens = await browser.CodeFlowAsync(auditor.Name, Password, auditor.Key);
        tokens.AccessClaims.GetProperty("org").GetString().ShouldBe(body);
        Audits(tokens).ShouldBe([first]);

        // The grant changes: the token already issued keeps what it said; the next one (a refresh) says the new set.
        await Administration.Json(await SetAuditedAsync(admin, body, second), HttpStatusCode.OK);
        Audits(tokens).ShouldBe([first]);
        tokens = await Browser.ReadTokensAsync(await browser.RefreshAsync(tokens.RefreshToken!));
        Audits(tokens).ShouldBe([second]);

        await Administration.Json(await SetAuditedAsync(admin, body, first, second), HttpStatusCode.OK);
        tokens = await Browser.ReadTokensAsync(await browser.RefreshAsync(tokens.RefreshToken!));
        Audits(tokens).Order().ShouldBe(new[] { first, second }.Order());

        // Every grant ended: no audits claim at all.
        var ended = await Administration.Json(await SetAuditedAsync(admin, body), HttpStatusCode.OK);
        Ids(ended["audits"]).ShouldBeEmpty();
        tokens = await Browser.ReadTokensAsync(await browser.RefreshAsync(tokens.RefreshToken!));
        tokens.AccessClaims.TryGetProperty("audits", out _).ShouldBeFalse();

        // People of the audited organisations carry no audits claim.
        var officer = await Administration.EnrolledAsync(system, admin, first, "officer");
        using var officersBrowser = new Browser(system);
        var officers = await officersBrowser.CodeFlowAsync(officer.Name, Password, officer.Key);
        officers.AccessClaims.TryGetProperty("audits", out _).ShouldBeFalse();

        // Each change is in the admin log, on the audit body's stream: ids only. Setting the same set again
        // changes nothing and records nothing.
        await Administration.Json(await SetAuditedAsync(admin, body), HttpStatusCode.OK);
        var log = await Administration.Json(await admin.GetAsync("/api/admin/log?limit=5000"), HttpStatusCode.OK);
        var entries = log.AsArray().Where(e => e!["streamId"]!.GetValue<string>() == body).ToArray();
        entries.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(
        [
            "organisation_created", "audited_organisations_set", "audited_organisations_set",
            "audited_organisations_set", "audited_organisations_set",
        ]);
        Ids(entries[1]!["data"]!["audits"]).ShouldBe([first]);
        Ids(entries[3]!["data"]!["audits"]).Order().ShouldBe(new[] { first, second }.Order());
        Ids(entries[4]!["data"]!["audits"]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Grants_that_name_no_audit_body_an_unknown_or_an_audit_organisation_are_refused_naming_the_field()
    {
        var admin = await Administration.AdministratorAsync(system);
        var protection = await Administration.CreateOrganisationAsync(admin, "protection");
        var body = await Administration.CreateOrganisationAsync(admin, "audit");
        var otherBody = await Administration.CreateOrganisationAsync(admin, "audit");
        await Administration.Json(await SetAuditedAsync(admin, body, protection), HttpStatusCode.OK);

        string[][] refused =
        [
            [Guid.NewGuid().ToString()], // no such organisation
            [protection, Guid.NewGuid().ToString()],
            [otherBody], // an audit organisation is not audited
            [body], // nor audits itself
        ];
        foreach (var organisations in refused)
        {
            var problem = await Administration.Json(
                await SetAuditedAsync(admin, body, organisations), HttpStatusCode.UnprocessableEntity);
            problem["errors"]!["organisations"].ShouldNotBeNull(problem.ToJsonString());
        }

        // Only an audit organisation is granted organisations.
        var notAnAuditBody = await Administration.Json(
            await SetAuditedAsync(admin, protection, protection), HttpStatusCode.UnprocessableEntity);
        notAnAuditBody["errors"]!["organisations"].ShouldNotBeNull();

        // The set is required, and holds ids.
        var missing = await admin.PutAsJsonAsync($"/api/admin/organisations/{body}/audited", new { });
        var missingProblem = await Administration.Json(missing, HttpStatusCode.BadRequest);
        missingProblem["errors"]!.AsObject().Select(e => e.Key).ShouldContain(k => k.Contains("organisations"));
        var notIds = await admin.PutAsJsonAsync(
            $"/api/admin/organisations/{body}/audited", new { organisations = new[] { "not-an-id" } });
        var notIdsProblem = await Administration.Json(notIds, HttpStatusCode.BadRequest);
        notIdsProblem["errors"]!.AsObject().Select(e => e.Key).ShouldContain(k => k.Contains("organisations"));

        // An unknown audit body is 404.
        (await SetAuditedAsync(admin, Guid.NewGuid().ToString(), protection)).StatusCode
            .ShouldBe(HttpStatusCode.NotFound);

        // Only administrators set grants.
        using var auditor = await system.SignedInAs("auditor-granting-itself", "auditor");
        (await SetAuditedAsync(auditor, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Nothing refused was stored: the grant is as it was, and the log holds only the accepted change.
        var listed = await Administration.Json(await admin.GetAsync("/api/admin/organisations"), HttpStatusCode.OK);
        Ids(View(listed, body)["audits"]).ShouldBe([protection]);
        Ids(View(listed, protection)["audits"]).ShouldBeEmpty();
        var log = await Administration.Json(await admin.GetAsync("/api/admin/log?limit=5000"), HttpStatusCode.OK);
        log.AsArray().Count(e => e!["streamId"]!.GetValue<string>() == body).ShouldBe(2);
        log.AsArray().Count(e => e!["streamId"]!.GetValue<string>() == protection).ShouldBe(1);
    }

    [Fact]
    public async Task The_directory_names_every_organisation_by_name_to_anyone_signed_in_and_to_no_one_else()
    {
        var admin = await Administration.AdministratorAsync(system);
        var protection = await Administration.CreateOrganisationAsync(admin, "protection");
        var body = await Administration.CreateOrganisationAsync(admin, "audit");
        await Administration.Json(await SetAuditedAsync(admin, body, protection), HttpStatusCode.OK);
        var officer = await Administration.EnrolledAsync(system, admin, protection, "officer");
        using var browser = new Browser(system);
        using var api = browser.Api((await browser.CodeFlowAsync(officer.Name, Password, officer.Key)).AccessToken);

        var directory = await Administration.Json(await api.GetAsync("/api/organisations"), HttpStatusCode.OK);
        var entries = directory.AsArray().Select(e => e!.AsObject()).ToArray();
        var ids = entries.Select(e => e["id"]!.GetValue<string>()).ToList();
        var own = entries[ids.IndexOf(protection)];
        own["kind"]!.GetValue<string>().ShouldBe("protection");
        own["name"]!.GetValue<string>().ShouldStartWith("protection organisation ");
        entries[ids.IndexOf(body)]["kind"]!.GetValue<string>().ShouldBe("audit");
        // By name (the database's collation): "audit organisation …" before "protection organisation …".
        ids.IndexOf(body).ShouldBeLessThan(ids.IndexOf(protection));
        // No people, no grants, no roles: an id, a name and a kind.
        entries.ShouldAllBe(e => e.Select(p => p.Key).OrderBy(k => k).SequenceEqual(new[] { "id", "kind", "name" }));
        directory.ToJsonString().ShouldNotContain(officer.Name);

        // Every signed-in role reads it; the anonymous do not.
        using var auditor = await system.SignedInAs("directory-auditor", "auditor");
        (await auditor.GetAsync("/api/organisations")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var funder = await system.SignedInAs("directory-funder", "funder");
        (await funder.GetAsync("/api/organisations")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await system.Gateway.GetAsync("/api/organisations")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_protection_organisations_account_may_hold_the_funder_role_and_its_token_says_so()
    {
        var admin = await Administration.AdministratorAsync(system);
        var organisation = await Administration.CreateOrganisationAsync(admin, "protection");
        var listed = await Administration.Json(await admin.GetAsync("/api/admin/organisations"), HttpStatusCode.OK);
        View(listed, organisation)["allowedRoles"]!.AsArray().Select(r => r!.GetValue<string>())
            .ShouldBe(["officer", "supervisor", "funder"], ignoreOrder: true);

        // Created with it.
        var name = $"budget-{Guid.NewGuid():N}"[..20];
        var created = await Administration.Json(
            await Administration.CreateAccountAsync(admin, name, organisation, "supervisor", "funder"),
            HttpStatusCode.Created);
        created["user"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>())
            .ShouldBe(["supervisor", "funder"], ignoreOrder: true);

        // Granted it later.
        var officer = await Administration.EnrolledAsync(system, admin, organisation, "officer");
        var granted = await Administration.Json(
            await admin.PostAsJsonAsync($"/api/admin/users/{officer.Id}/roles", new { role = "funder" }),
            HttpStatusCode.OK);
        granted["roles"]!.AsArray().Select(r => r!.GetValue<string>())
            .ShouldBe(["officer", "funder"], ignoreOrder: true);

        // And the token of the account created with it says so, for the organisation.
        using var browser = new Browser(system);
        var (key, _) = await browser.EnrolAsync(
            new Uri(created["enrolment"]!["enrolmentLink"]!.GetValue<string>()), Password);
        var tokens = await browser.CodeFlowAsync(name, Password, key);
        tokens.AccessClaims.GetProperty("org").GetString().ShouldBe(organisation);
        Strings(tokens.AccessClaims.GetProperty("role")).ShouldBe(["supervisor", "funder"], ignoreOrder: true);

        // Other kinds stay bounded: a protection organisation's people are not auditors.
        var refused = await Administration.Json(
            await admin.PostAsJsonAsync($"/api/admin/users/{officer.Id}/roles", new { role = "auditor" }),
            HttpStatusCode.UnprocessableEntity);
        refused["errors"]!["role"].ShouldNotBeNull();
    }

    private static Task<HttpResponseMessage> SetAuditedAsync(
        HttpClient admin, string auditBody, params string[] organisations) =>
        admin.PutAsJsonAsync($"/api/admin/organisations/{auditBody}/audited", new { organisations });

    private static JsonNode View(JsonNode organisations, string id) =>
        organisations.AsArray().Single(o => o!["id"]!.GetValue<string>() == id)!;

    private static string[] Ids(JsonNode? ids) => [.. ids!.AsArray().Select(i => i!.GetValue<string>())];

    /// <summary>The access token's <c>audits</c>: absent, one value (a string) or several (an array).</summary>
    private static string[] Audits(TokenSet tokens) =>
        tokens.AccessClaims.TryGetProperty("audits", out var audits) ? Strings(audits) : [];

    private static string[] Strings(JsonElement claim) =>
        claim.ValueKind == JsonValueKind.Array
            ? [.. claim.EnumerateArray().Select(v => v.GetString()!)]
            : [claim.GetString()!];
}
