using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Protection.Contracts.Cases;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Relocation;

/// <summary>
/// Relocation by organisation: another organisation finds nothing (404, no data), a partner reads the case's
/// relocations read only (sealed details only when its referral gave personal data), and the organisation a
/// plan names as host reads that relocation, in full with the defender's consent and only its dates without it,
/// from the next read after a withdrawal. The host never changes it.
/// </summary>
[Collection(RelocationCollection.Name)]
public sealed class RelocationOrganisations(RelocationHost relocation)
{
    private const string City = "Nairobi";
    private const string SecurityPlan = "Night bus with a companion";
    private const string CheckInNote = "Staying with the partner's family near the market.";

    /// <summary>What a relocation's JSON may hold for a host without the defender's consent.</summary>
    private static readonly string[] DatesOnly =
    [
        "arrivedAt", "checkInMissed", "checkInOverdue", "closedAt", "departedAt", "endOn", "endedAt", "id",
        "lastCheckInAt", "nextCheckInDueAt", "startOn", "state",
    ];

    public static TheoryData<string, string, string?> RelocationRoutes => new()
    {
        { "POST", "/api/cases/{case}/relocations", RelocationBodies.Request("regional").ToJsonString() },
        { "GET", "/api/cases/{case}/relocations", null },
        { "GET", "/api/relocations/{relocation}", null },
        { "POST", "/api/relocations/{relocation}/plan", RelocationBodies.Plan("EC").ToJsonString() },
        { "POST", "/api/relocations/{relocation}/depart", null },
        { "POST", "/api/relocations/{relocation}/arrive", null },
        { "POST", "/api/relocations/{relocation}/check-ins", """{"status":"safe"}""" },
        { "POST", "/api/relocations/{relocation}/extend",
            RelocationBodies.Extend(RelocationBodies.Today.AddMonths(6)).ToJsonString() },
        { "POST", "/api/relocations/{relocation}/return", null },
        { "POST", "/api/relocations/{relocation}/resettle", null },
        { "POST", "/api/relocations/{relocation}/close", """{"reason":"The defender chose to stay."}""" },
    };

    [Theory]
    [MemberData(nameof(RelocationRoutes))]
    public async Task Another_organisations_officers_and_supervisors_get_404_with_no_data(
        string method, string path, string? body)
    {
        var version = await VersionAsync(relocation.RelocationId);
        foreach (var role in new[] { "officer", "supervisor" })
        {
            var other = Client(TestTokens.OrganisationB, $"{role}-{Guid.NewGuid():N}", role);
            var problem = await other.SendAsync(method, relocation.Path(path), body)
                .ShouldBeProblem(HttpStatusCode.NotFound);

            var text = problem.GetRawText();
            text.ShouldNotContain(relocation.CaseId.ToString());
            text.ShouldNotContain(relocation.RelocationId.ToString());
            text.ShouldNotContain(Facts.Reference(relocation.CaseId));
        }

        (await VersionAsync(relocation.RelocationId)).ShouldBe(version);
        var mine = await relocation.As(RelocationHost.Officer, "officer")
            .SendAsync("GET", relocation.Path("/api/cases/{case}/relocations")).ShouldBe(HttpStatusCode.OK);
        mine.Items().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task The_host_with_the_defenders_consent_reads_the_full_relocation_and_never_changes_it()
    {
        var host = $"org-host-{Guid.NewGuid():N}";
        var (caseId, id) = await HostedAsync(host, consent: true);

        foreach (var role in new[] { "officer", "supervisor" })
        {
            var reader = Client(host, $"{role}-{Guid.NewGuid():N}", role);
            var read = await reader.SendAsync("GET", $"/api/relocations/{id}").ShouldBe(HttpStatusCode.OK);
            read.GetProperty("plan").GetProperty("destination").Text("city").ShouldBe(City);
            read.GetProperty("plan").Text("hostOrganisationId").ShouldBe(host);
            read.GetProperty("checkIns")[0].Text("note").ShouldBe(CheckInNote);
            read.GetProperty("allowedSteps").GetArrayLength().ShouldBe(0);
        }

        var supervisor = Client(host, "host-supervisor", "supervisor");
        var version = await VersionAsync(id);
        await supervisor.SendAsync("POST", $"/api/relocations/{id}/return").ShouldBeProblem(HttpStatusCode.NotFound);
        await supervisor.SendAsync("POST", $"/api/relocations/{id}/check-ins", """{"status":"safe"}""")
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await supervisor.SendAsync("POST", $"/api/relocations/{id}/plan", RelocationBodies.Plan("KE").ToJsonString())
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await supervisor.SendAsync("GET", $"/api/cases/{caseId}/relocations").ShouldBeProblem(HttpStatusCode.NotFound);
        (await VersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Without_consent_the_hosts_read_holds_only_dates_and_check_in_status()
    {
        var host = $"org-host-{Guid.NewGuid():N}";
        var (_, id) = await HostedAsync(host, consent: false);

        using var response = await Client(host, "host-officer", "officer").SendAsync("GET", $"/api/relocations/{id}");
        var raw = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, raw);

        ShouldHoldOnlyDates(raw, id);
    }

    [Fact]
    public async Task A_withdrawal_reduces_the_hosts_view_on_the_next_read()
    {
        var host = $"org-host-{Guid.NewGuid():N}";
        var (caseId, id) = await HostedAsync(host, consent: true);
        var reader = Client(host, "host-officer", "officer");
        (await reader.SendAsync("GET", $"/api/relocations/{id}").ShouldBe(HttpStatusCode.OK))
            .GetProperty("plan").GetProperty("destination").Text("city").ShouldBe(City);

        await relocation.DeliverAsync(new ConsentChanged(
            caseId, Facts.Reference(caseId), new ConsentScopes(true, false), 2, Facts.By("officer", "officer")));

        using var response = await reader.SendAsync("GET", $"/api/relocations/{id}");
        var raw = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, raw);
        ShouldHoldOnlyDates(raw, id);
        var listed = await reader.SendAsync("GET", "/api/relocations/hosted").ShouldBe(HttpStatusCode.OK);
        ShouldHoldOnlyDates(listed.Items().ShouldHaveSingleItem().GetRawText(), id);
    }

    [Fact]
    public async Task The_hosted_list_holds_the_readers_organisations_relocations_newest_first_and_no_others()
    {
        var host = $"org-host-{Guid.NewGuid():N}";
        var other = $"org-host-{Guid.NewGuid():N}";
        var (_, first) = await HostedAsync(host, consent: true);
        var (_, elsewhere) = await HostedAsync(other, consent: true);
        var (_, second) = await HostedAsync(host, consent: false);

        var listed = await Client(host, "host-supervisor", "supervisor").SendAsync("GET", "/api/relocations/hosted")
            .ShouldBe(HttpStatusCode.OK);

        listed.Items().Select(r => r.GetProperty("id").GetGuid()).ShouldBe([second, first]);
        listed.Items().First().TryGetProperty("plan", out _).ShouldBeFalse();
        listed.Items().Last().GetProperty("plan").GetProperty("destination").Text("city").ShouldBe(City);
        (await Client(other, "other-officer", "officer").SendAsync("GET", "/api/relocations/hosted")
                .ShouldBe(HttpStatusCode.OK))
            .Items().Select(r => r.GetProperty("id").GetGuid()).ShouldBe([elsewhere]);
        (await Client(TestTokens.OrganisationB, "b-supervisor", "supervisor")
                .SendAsync("GET", "/api/relocations/hosted").ShouldBe(HttpStatusCode.OK))
            .Items().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_partner_given_personal_data_reads_the_relocations_in_full_read_only()
    {
        var partner = $"org-partner-{Guid.NewGuid():N}";
        var (caseId, id) = await HostedAsync(host: null, consent: true);
        await ShareAsync(caseId, new CasePartner(partner, SeesPersonalData: true));
        var reader = Client(partner, "partner-officer", "officer");

        var ofCase = await reader.SendAsync("GET", $"/api/cases/{caseId}/relocations").ShouldBe(HttpStatusCode.OK);
        var item = ofCase.Items().ShouldHaveSingleItem();
        item.GetProperty("plan").GetProperty("destination").Text("city").ShouldBe(City);
        item.GetProperty("checkIns")[0].Text("note").ShouldBe(CheckInNote);
        item.GetProperty("allowedSteps").GetArrayLength().ShouldBe(0);
        (await reader.SendAsync("GET", $"/api/relocations/{id}").ShouldBe(HttpStatusCode.OK))
            .GetProperty("plan").Text("securityPlan").ShouldStartWith(SecurityPlan);

        var version = await VersionAsync(id);
        await reader.SendAsync("POST", $"/api/relocations/{id}/return").ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task A_partner_without_personal_data_reads_the_relocations_with_the_sealed_details_withheld()
    {
        var partner = $"org-partner-{Guid.NewGuid():N}";
        var (caseId, id) = await HostedAsync(host: null, consent: true);
        await ShareAsync(caseId, new CasePartner(partner, SeesPersonalData: false));
        var reader = Client(partner, "partner-supervisor", "supervisor");

        var ofCase = await reader.SendAsync("GET", $"/api/cases/{caseId}/relocations").ShouldBe(HttpStatusCode.OK);
        var one = await reader.SendAsync("GET", $"/api/relocations/{id}").ShouldBe(HttpStatusCode.OK);

        foreach (var read in new[] { ofCase.Items().ShouldHaveSingleItem(), one })
        {
            read.GetProperty("id").GetGuid().ShouldBe(id);
            read.Text("state").ShouldBe("arrived");
            var plan = read.GetProperty("plan");
            plan.GetProperty("destination").ValueKind.ShouldBe(JsonValueKind.Null);
            plan.Text("hostOrganisation").ShouldBe("[withheld]");
            plan.Text("securityPlan").ShouldBe("[withheld]");
            read.GetProperty("checkIns")[0].Text("note").ShouldBe("[withheld]");
            var raw = read.GetRawText();
            raw.ShouldNotContain(City);
            raw.ShouldNotContain(SecurityPlan);
            raw.ShouldNotContain(CheckInNote);
            raw.ShouldNotContain("Shelter network partner");
        }

        await reader.SendAsync("POST", $"/api/relocations/{id}/close", """{"reason":"No."}""")
            .ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// A new case of org-a (consent to share with the host as given), its international relocation planned with
    /// <paramref name="host"/> hosting, funded, departed, arrived and checked in with a note.
    /// </summary>
    private async Task<(Guid CaseId, Guid RelocationId)> HostedAsync(string? host, bool consent)
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var caseId = Guid.CreateVersion7();
        await relocation.DeliverAsync(Facts.CaseOpened(caseId, officerId) with
        {
            Consent = new ConsentScopes(true, consent),
        });
        var id = await RelocationHost.RequestAsync(officer, caseId, "international");
        var plan = RelocationBodies.Plan("KE");
        plan["hostOrganisationId"] = host;
        await officer.SendAsync("POST", $"/api/relocations/{id}/plan", plan.ToJsonString())
            .ShouldBe(HttpStatusCode.OK);
        await relocation.PayRelocationGrantAsync(caseId);
        await officer.SendAsync("POST", $"/api/relocations/{id}/depart").ShouldBe(HttpStatusCode.OK);
        await officer.SendAsync("POST", $"/api/relocations/{id}/arrive").ShouldBe(HttpStatusCode.OK);
        await officer.SendAsync("POST", $"/api/relocations/{id}/check-ins",
            JsonSerializer.Serialize(new { status = "safe", note = CheckInNote }))
            .ShouldBe(HttpStatusCode.OK);
        return (caseId, id);
    }

    /// <summary>Intake shared the case with <paramref name="partner"/> (an accepted referral).</summary>
    private Task ShareAsync(Guid caseId, CasePartner partner) =>
        relocation.DeliverAsync(new CaseHoldersChanged(
            caseId, Facts.Reference(caseId), TestTokens.OrganisationA, [partner], 2, Facts.By("supervisor",
                "supervisor")));

    private async Task<long> VersionAsync(Guid id)
    {
        var supervisor = relocation.As("org-a-supervisor", "supervisor");
        return (await supervisor.SendAsync("GET", $"/api/relocations/{id}").ShouldBe(HttpStatusCode.OK))
            .GetProperty("version").GetInt64();
    }

    private static void ShouldHoldOnlyDates(string raw, Guid id)
    {
        using var json = JsonDocument.Parse(raw);
        json.RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray().ShouldBe(DatesOnly, raw);
        json.RootElement.GetProperty("id").GetGuid().ShouldBe(id);
        json.RootElement.Text("state").ShouldBe("arrived");
        json.RootElement.GetProperty("lastCheckInAt").ValueKind.ShouldBe(JsonValueKind.String);
        json.RootElement.GetProperty("nextCheckInDueAt").ValueKind.ShouldBe(JsonValueKind.String);
        foreach (var text in new[] { City, SecurityPlan, CheckInNote, "Shelter network partner", "Humanitarian" })
        {
            raw.ShouldNotContain(text);
        }
    }

    private HttpClient Client(string organisation, string user, string role)
    {
        var client = relocation.CreateClient();
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", TestTokens.Of(organisation, user, [role]));
        return client;
    }
}
