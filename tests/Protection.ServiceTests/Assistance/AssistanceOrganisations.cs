using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Protection.Contracts.Cases;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Assistance;

/// <summary>
/// Grants and funds by organisation: a fund belongs to its creator's organisation and only its funders see,
/// decide on and pay what it funds; another organisation's case, grant or fund is 404; a request on another
/// organisation's fund needs the defender's consent to share with funders, and a withdrawal of it withholds the
/// case from those funders and stops their decisions; a partner of the case reads its grants, read only.
/// </summary>
[Collection(AssistanceCollection.Name)]
public sealed class AssistanceOrganisations(AssistanceHost assistance)
{
    private const string OrganisationB = TestTokens.OrganisationB;
    private const string Partner = "org-partner";

    private HttpClient FunderA => assistance.As(AssistanceHost.Funder, "funder");

    /// <summary>A client acting for <paramref name="organisation"/>.</summary>
    private HttpClient Of(string organisation, string user, params string[] roles)
    {
        var client = assistance.CreateClient();
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", TestTokens.Of(organisation, user, roles));
        return client;
    }

    private HttpClient FunderB => Of(OrganisationB, "funder-of-b", "funder");

    private async Task<Guid> FundOfBAsync()
    {
        var fund = await FunderB.SendAsync(
                "POST", "/api/funds", """{"name":"B's response fund","currency":"EUR","openingBalance":20000}""")
            .ShouldBe(HttpStatusCode.Created);
        fund.Text("organisation").ShouldBe(OrganisationB);
        return fund.GetProperty("id").GetGuid();
    }

    /// <summary>A case of organisation A for a new officer, with or without consent to share with funders.</summary>
    private async Task<(Guid CaseId, HttpClient Officer, string OfficerId)> CaseAsync(bool shareWithFunders)
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var caseId = Guid.CreateVersion7();
        await assistance.DeliverAsync(
            Facts.CaseOpened(caseId, officerId) with { Consent = new ConsentScopes(shareWithFunders, false) });
        return (caseId, assistance.As(officerId, "officer"), officerId);
    }

    private static string Request(Guid fundId, decimal amount = 400m) =>
        AssistanceBodies.Grant(fundId, amount).ToJsonString();

    private static bool IsNull(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null;

    private async Task<long> VersionOf(Guid grantId) =>
        (await FunderA.SendAsync("GET", $"/api/grants/{grantId}").ShouldBe(HttpStatusCode.OK)).GetProperty("version")
            .GetInt64();

    [Fact]
    public async Task A_funder_of_another_organisation_gets_404_on_every_grant_and_fund_route_and_lists_omit_them()
    {
        var grant = assistance.GrantId;
        var fund = assistance.FundId;
        var version = await VersionOf(grant);

        await FunderB.SendAsync("GET", $"/api/funds/{fund}").ShouldBeProblem(HttpStatusCode.NotFound);
        await FunderB.SendAsync("POST", $"/api/funds/{fund}/top-ups", """{"amount":100}""")
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await FunderB.SendAsync("GET", $"/api/grants/{grant}").ShouldBeProblem(HttpStatusCode.NotFound);
        await FunderB.SendAsync("POST", $"/api/grants/{grant}/decisions", """{"decision":"approve"}""")
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await FunderB.SendAsync("POST", $"/api/grants/{grant}/decisions", """{"decision":"approve"}""",
                ifMatch: $"\"{version + 3}\"")
            .ShouldBeProblem(HttpStatusCode.NotFound); // not 409 with the current version
        await FunderB.SendAsync("POST", $"/api/grants/{grant}/decisions", """{"decision":"reject","reason":"No."}""")
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await FunderB.SendAsync("POST", $"/api/grants/{grant}/disbursements", """{"amount":100}""")
            .ShouldBeProblem(HttpStatusCode.NotFound);

        var grants = await FunderB.SendAsync("GET", "/api/grants?pageSize=200").ShouldBe(HttpStatusCode.OK);
        grants.Items().Select(g => g.GetProperty("id").GetGuid()).ShouldNotContain(grant);
        var funds = await FunderB.SendAsync("GET", "/api/funds").ShouldBe(HttpStatusCode.OK);
        funds.EnumerateArray().Select(f => f.GetProperty("id").GetGuid()).ShouldNotContain(fund);
        funds.EnumerateArray().ShouldAllBe(f => f.GetProperty("organisation").GetString() == OrganisationB);

        (await VersionOf(grant)).ShouldBe(version);
        var own = await FunderA.SendAsync("GET", "/api/grants?pageSize=200").ShouldBe(HttpStatusCode.OK);
        own.Items().Select(g => g.GetProperty("id").GetGuid()).ShouldContain(grant);
    }

    [Fact]
    public async Task Staff_of_another_organisation_get_404_on_the_cases_grants_even_under_the_officers_name()
    {
        var sameName = Of(OrganisationB, AssistanceHost.Officer, "officer");
        var supervisorB = Of(OrganisationB, "supervisor-of-b", "supervisor");
        foreach (var other in new[] { sameName, supervisorB })
        {
            await other.SendAsync("GET", assistance.Path("/api/cases/{case}/grants"))
                .ShouldBeProblem(HttpStatusCode.NotFound);
            await other.SendAsync("POST", assistance.Path("/api/cases/{case}/grants"), Request(assistance.FundId))
                .ShouldBeProblem(HttpStatusCode.NotFound);
            await other.SendAsync("GET", assistance.Path("/api/grants/{grant}"))
                .ShouldBeProblem(HttpStatusCode.NotFound);
            await other.SendAsync(
                    "POST", assistance.Path("/api/grants/{grant}/withdrawal"), """{"reason":"Not ours."}""")
                .ShouldBeProblem(HttpStatusCode.NotFound);
            var list = await other.SendAsync("GET", "/api/grants?pageSize=200").ShouldBe(HttpStatusCode.OK);
            list.Items().Select(g => g.GetProperty("id").GetGuid()).ShouldNotContain(assistance.GrantId);
        }
    }

    [Fact]
    public async Task A_request_on_another_organisations_fund_is_422_without_consent_and_201_with_it()
    {
        var fundOfB = await FundOfBAsync();
        var (withoutConsent, officer, _) = await CaseAsync(shareWithFunders: false);

        await officer.SendAsync("POST", $"/api/cases/{withoutConsent}/grants", Request(fundOfB))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "consent.shareWithFunders");
        (await officer.SendAsync("GET", $"/api/cases/{withoutConsent}/grants").ShouldBe(HttpStatusCode.OK))
            .GetArrayLength().ShouldBe(0); // nothing written

        // The case's own organisation's fund needs no consent.
        await officer.SendAsync("POST", $"/api/cases/{withoutConsent}/grants", Request(assistance.FundId))
            .ShouldBe(HttpStatusCode.Created);

        var (withConsent, consentingOfficer, _) = await CaseAsync(shareWithFunders: true);
        var grant = await consentingOfficer.SendAsync("POST", $"/api/cases/{withConsent}/grants", Request(fundOfB))
            .ShouldBe(HttpStatusCode.Created);
        grant.Text("fundOrganisation").ShouldBe(OrganisationB);
        var id = grant.GetProperty("id").GetGuid();

        var read = await FunderB.SendAsync("GET", $"/api/grants/{id}").ShouldBe(HttpStatusCode.OK);
        (read.Text("country"), read.Text("purpose")).ShouldBe(
            ("CO", "Reinforced door and a panic button for the family home."));
        await FunderA.SendAsync("GET", $"/api/grants/{id}").ShouldBeProblem(HttpStatusCode.NotFound);
        var listed = await FunderB.SendAsync("GET", "/api/grants?pageSize=200").ShouldBe(HttpStatusCode.OK);
        listed.Items().Select(g => g.GetProperty("id").GetGuid()).ShouldContain(id);
    }

    [Fact]
    public async Task A_withdrawn_consent_withholds_the_case_from_the_foreign_funder_refuses_its_decision_not_payment()
    {
        var fundOfB = await FundOfBAsync();
        var (caseId, officer, officerId) = await CaseAsync(shareWithFunders: true);
        var pending = await AssistanceHost.GrantAsync(officer, caseId, fundOfB, 500m);
        var approved = await AssistanceHost.GrantAsync(officer, caseId, fundOfB, 800m);
        await FunderB.SendAsync("POST", $"/api/grants/{approved}/decisions", """{"decision":"approve"}""")
            .ShouldBe(HttpStatusCode.OK);

        await assistance.DeliverAsync(new ConsentChanged(
            caseId, Facts.Reference(caseId), new ConsentScopes(false, false), 2, Facts.By(officerId, "officer")));

        var read = await FunderB.SendAsync("GET", $"/api/grants/{pending}").ShouldBe(HttpStatusCode.OK);
        foreach (var withheld in new[] { "country", "risk", "threatTypes", "purpose" })
        {
            IsNull(read, withheld).ShouldBeTrue($"{withheld} should be withheld: {read}");
        }

        (read.GetProperty("requestedAmount").GetDecimal(), read.Text("status")).ShouldBe((500m, "pending"));
        var listed = (await FunderB.SendAsync("GET", "/api/grants?pageSize=200").ShouldBe(HttpStatusCode.OK))
            .Items().Single(g => g.GetProperty("id").GetGuid() == pending);
        (IsNull(listed, "country"), IsNull(listed, "purpose"), IsNull(listed, "threatTypes"))
            .ShouldBe((true, true, true));

        await FunderB.SendAsync("POST", $"/api/grants/{pending}/decisions", """{"decision":"approve"}""")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "consent.shareWithFunders");
        await FunderB.SendAsync("POST", $"/api/grants/{pending}/decisions",
                """{"decision":"reject","reason":"Outside our mandate."}""")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "consent.shareWithFunders");
        (await FunderB.SendAsync("GET", $"/api/grants/{pending}").ShouldBe(HttpStatusCode.OK)).Text("status")
            .ShouldBe("pending");

        var paid = await FunderB.SendAsync("POST", $"/api/grants/{approved}/disbursements", """{"amount":800}""")
            .ShouldBe(HttpStatusCode.OK);
        (paid.Text("status"), IsNull(paid, "country"), IsNull(paid, "purpose")).ShouldBe(("disbursed", true, true));

        // The case's own officer still reads everything.
        var own = await officer.SendAsync("GET", $"/api/grants/{pending}").ShouldBe(HttpStatusCode.OK);
        (own.Text("country"), own.Text("purpose")).ShouldBe(
            ("CO", "Reinforced door and a panic button for the family home."));
    }

    [Fact]
    public async Task A_partner_reads_the_cases_grants_read_only_with_texts_only_when_it_sees_personal_data()
    {
        var (caseId, officer, _) = await CaseAsync(shareWithFunders: true);
        var grant = await AssistanceHost.GrantAsync(officer, caseId, assistance.FundId, 300m);
        var partner = Of(Partner, "partner-officer", "officer");
        var partnerSupervisor = Of(Partner, "partner-supervisor", "supervisor");
        await partner.SendAsync("GET", $"/api/cases/{caseId}/grants").ShouldBeProblem(HttpStatusCode.NotFound);

        async Task Holders(long version, params CasePartner[] partners) => await assistance.DeliverAsync(
            new CaseHoldersChanged(
                caseId, Facts.Reference(caseId), TestTokens.OrganisationA, partners, version,
                Facts.By("supervisor", "supervisor")));

        await Holders(2, new CasePartner(Partner, SeesPersonalData: false));
        foreach (var reader in new[] { partner, partnerSupervisor })
        {
            var ofCase = await reader.SendAsync("GET", $"/api/cases/{caseId}/grants").ShouldBe(HttpStatusCode.OK);
            var item = ofCase.EnumerateArray().ShouldHaveSingleItem();
            (item.Text("country"), IsNull(item, "purpose")).ShouldBe(("CO", true));
            var one = await reader.SendAsync("GET", $"/api/grants/{grant}").ShouldBe(HttpStatusCode.OK);
            IsNull(one, "purpose").ShouldBeTrue();
        }

        await partner.SendAsync("POST", $"/api/cases/{caseId}/grants", Request(assistance.FundId))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await partner.SendAsync("POST", $"/api/grants/{grant}/withdrawal", """{"reason":"Not ours to withdraw."}""")
            .ShouldBeProblem(HttpStatusCode.Forbidden);

        await Holders(3, new CasePartner(Partner, SeesPersonalData: true));
        (await partner.SendAsync("GET", $"/api/grants/{grant}").ShouldBe(HttpStatusCode.OK)).Text("purpose")
            .ShouldBe("Reinforced door and a panic button for the family home.");

        await Holders(4);
        await partner.SendAsync("GET", $"/api/grants/{grant}").ShouldBeProblem(HttpStatusCode.NotFound);
        (await officer.SendAsync("GET", $"/api/grants/{grant}").ShouldBe(HttpStatusCode.OK)).Text("purpose")
            .ShouldNotBeNull();
    }

    [Fact]
    public async Task Officers_list_every_fund_without_its_figures_and_a_funder_of_no_organisation_creates_none_403()
    {
        var fundOfB = await FundOfBAsync();

        var choices = await assistance.As(AssistanceHost.Officer, "officer").SendAsync("GET", "/api/funds/choices")
            .ShouldBe(HttpStatusCode.OK);
        var ofSupervisor = await Of(OrganisationB, "supervisor-of-b", "supervisor")
            .SendAsync("GET", "/api/funds/choices").ShouldBe(HttpStatusCode.OK);
        ofSupervisor.EnumerateArray().Select(f => f.GetProperty("id").GetGuid()).ShouldContain(assistance.FundId);
        var items = choices.EnumerateArray().ToArray();
        items.Select(f => f.GetProperty("id").GetGuid()).ShouldContain(fundOfB);
        items.Select(f => f.GetProperty("id").GetGuid()).ShouldContain(assistance.FundId);
        foreach (var item in items)
        {
            item.EnumerateObject().Select(p => p.Name).ShouldBe(
                ["id", "name", "currency", "organisation"], ignoreOrder: true);
        }

        items.Single(f => f.GetProperty("id").GetGuid() == fundOfB).Text("organisation").ShouldBe(OrganisationB);
        await Of("", "funder-of-none", "funder")
            .SendAsync("POST", "/api/funds", """{"name":"Nobody's fund","currency":"EUR","openingBalance":10}""")
            .ShouldBeProblem(HttpStatusCode.Forbidden);
    }
}
