using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// Relocation through the gateway: plan, funded by a disbursed grant, move, check in, missed check-in escalates in
/// triage, return, close. (Each answer and refusal of its endpoints alone is in the service tests:
/// Protection.ServiceTests, Relocation.)
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RelocationTests(ProtectionSystem system)
{
    private static readonly TimeSpan CheckInEvery = TimeSpan.FromDays(7);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(12);

    [Fact]
    public async Task A_critical_case_is_relocated_with_its_grant_escalated_on_a_missed_check_in_and_brought_home()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 2),
            Cases.Threat(defender, "physical", daysAgo: 12));

        // Critical from the threats alone: triage recommends a relocation; the officer decides.
        var triage = await officer.WaitForAsync($"/api/cases/{caseId}/triage",
            t => t.GetProperty("risk").GetProperty("level").GetString() == "critical", "a critical case");
        triage.GetProperty("relocationAlerts").GetArrayLength().ShouldBe(0);
        var recommended = await officer.WaitForAsync($"/api/cases/{caseId}/relocations",
            r => r.GetProperty("recommendation").ValueKind == JsonValueKind.Object, "triage's recommendation");
        recommended.GetProperty("recommendation").GetProperty("rules").EnumerateArray().Select(r => r.GetString())
            .ShouldContain("repeated-violence");
        recommended.GetProperty("items").GetArrayLength().ShouldBe(0);

        var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/relocations",
            RelocationBody("international"));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var relocation = await requested.Json();
        var relocationId = relocation.GetProperty("id").GetGuid();
        var path = $"/api/relocations/{relocationId}";
        relocation.GetProperty("state").GetString().ShouldBe("requested");
        relocation.GetProperty("wasRecommended").GetBoolean().ShouldBeTrue();
        relocation.GetProperty("people").GetProperty("total").GetInt32().ShouldBe(3);
        Steps(relocation).ShouldBe(["plan", "close"]);
        await officer.WaitForAsync($"/api/cases/{caseId}", c => c.GetProperty("stage").GetString() == "relocation",
            "intake's stage to become relocation");

        // An international plan without its visa plan and return strategy names both; then the full plan.
        var incomplete = PlanBody("KE");
        incomplete.Remove("visaPlan");
        incomplete.Remove("returnStrategy");
        await officer.PostAsJsonAsync($"{path}/plan", incomplete)
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "visaPlan");
        await officer.PostAsJsonAsync($"{path}/plan", incomplete)
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "returnStrategy");
        var planned = await officer.PostAsJsonAsync($"{path}/plan", PlanBody("KE")).OkJson();
        planned.GetProperty("state").GetString().ShouldBe("planned");
        planned.GetProperty("plan").GetProperty("destination").GetProperty("city").GetString().ShouldBe("Nairobi");
        planned.GetProperty("plan").GetProperty("endOn").GetString()
            .ShouldBe(Today.AddMonths(3).ToString("yyyy-MM-dd"));
        await ShouldBeRefused(officer.PostAsync($"{path}/depart", null), ["plan", "close"]);

        // The relocation grant: requested, approved, disbursed; the relocation becomes funded by itself.
        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var grantId = await PayRelocationGrantAsync(officer, funder, caseId);
        var funded = await officer.WaitForAsync(path, r => r.GetProperty("state").GetString() == "funded",
            "the relocation to be funded by the disbursed grant");
        funded.GetProperty("fundedBy").GetGuid().ShouldBe(grantId);
        funded.GetProperty("funding")[0].GetProperty("amount").GetDecimal().ShouldBe(3_000m);
        Steps(funded).ShouldBe(["plan", "depart", "close"]);

        var departed = await officer.PostAsync($"{path}/depart", null).OkJson();
        departed.GetProperty("state").GetString().ShouldBe("inTransit");
        var firstDue = departed.GetProperty("nextCheckInDueAt").GetDateTimeOffset();
        (firstDue - departed.GetProperty("departedAt").GetDateTimeOffset()).ShouldBe(CheckInEvery);
        var arrived = await officer.PostAsync($"{path}/arrive", null).OkJson();
        arrived.GetProperty("state").GetString().ShouldBe("arrived");
        Steps(arrived).ShouldBe(["check-in", "extend", "return", "resettle"]);

        var checkedIn = await officer.PostAsJsonAsync($"{path}/check-ins",
            new { status = "safe", note = "Settled with the host; phone works." }).OkJson();
        checkedIn.GetProperty("checkIns").GetArrayLength().ShouldBe(1);
        var due = checkedIn.GetProperty("nextCheckInDueAt").GetDateTimeOffset();
        (due - checkedIn.GetProperty("checkIns")[0].GetProperty("at").GetDateTimeOffset()).ShouldBe(CheckInEvery);

        // No check-in for a week and the grace period: relocation flags it once and triage escalates the case.
        var relocationNow = await system.AdvanceRelocationClockAsync(
            due + Grace + TimeSpan.FromMinutes(1) - DateTimeOffset.UtcNow);
        relocationNow.ShouldBeGreaterThan(due + Grace);
        var missed = await officer.WaitForAsync(path, r => r.GetProperty("checkInMissed").GetBoolean(),
            "the missed check-in to be flagged");
        missed.GetProperty("checkInOverdue").GetBoolean().ShouldBeTrue();
        var escalated = await officer.WaitForAsync(
            $"/api/cases/{caseId}/triage", t => t.GetProperty("relocationAlerts").GetArrayLength() > 0,
                "triage to escalate the case");
        var alert = escalated.GetProperty("relocationAlerts")[0];
        alert.GetProperty("alert").GetString().ShouldBe("checkInMissed");
        alert.GetProperty("relocationId").GetGuid().ShouldBe(relocationId);
        alert.GetProperty("checkInDueAt").GetDateTimeOffset().ShouldBe(due);
        escalated.GetProperty("risk").GetProperty("level").GetString().ShouldBe("critical");
        escalated.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        var queue = await officer.GetFromJsonAsync<JsonElement>("/api/triage/queue");
        queue.Items().Select(c => c.GetProperty("caseId").GetGuid()).ShouldContain(caseId);

        // Once per deadline: the watch passes that follow (every second) raise nothing more for it. Their
        // positive signal is the next deadline: checked in late, then missed again, it raises exactly one
        // more alert, so the passes between raised none for the first.
        var lateCheckIn = await officer.PostAsJsonAsync($"{path}/check-ins", new { status = "safe" }).OkJson();
        var nextDue = lateCheckIn.GetProperty("nextCheckInDueAt").GetDateTimeOffset();
        await system.AdvanceRelocationClockAsync(nextDue + Grace + TimeSpan.FromMinutes(1) - relocationNow);
        var twice = await officer.WaitForAsync(
            $"/api/cases/{caseId}/triage", t => t.GetProperty("relocationAlerts").GetArrayLength() > 1,
                "the next missed check-in");
        twice.GetProperty("relocationAlerts").EnumerateArray()
            .Select(a => a.GetProperty("checkInDueAt").GetDateTimeOffset())
            .ShouldBe([due, nextDue]);

        // Home again, and closed: the case leaves the relocation stage.
        var returned = await officer.PostAsync($"{path}/return", null).OkJson();
        returned.GetProperty("state").GetString().ShouldBe("returned");
        returned.GetProperty("nextCheckInDueAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var closed = await officer.PostAsJsonAsync($"{path}/close", new { }).OkJson();
        closed.GetProperty("state").GetString().ShouldBe("closed");
        closed.GetProperty("outcome").GetString().ShouldBe("returned");
        Steps(closed).ShouldBeEmpty();
        closed.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("step").GetString())
            .ShouldBe(["request", "plan", "fund", "depart", "arrive", "return", "close"]);
        await officer.WaitForAsync($"/api/cases/{caseId}", c => c.GetProperty("stage").GetString() != "relocation",
            "intake's stage to leave relocation");
        defender.ShouldNotAppearIn(closed.GetRawText());
    }

    [Fact]
    public async Task An_emergency_check_in_raises_a_high_case_to_critical_at_once_and_a_concern_does_not()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 3));
        await officer.WaitForAsync($"/api/cases/{caseId}/triage",
            t => t.GetProperty("risk").GetProperty("level").GetString() == "high", "a high case");

        var relocationId = await RelocateAsync(officer, funder, caseId, "inCountrySafeHouse", "CO");
        var path = $"/api/relocations/{relocationId}";
        await officer.PostAsJsonAsync($"{path}/check-ins", new { status = "concern" }).OkJson();
        await officer.PostAsJsonAsync($"{path}/check-ins",
            new { status = "emergency", note = "Strangers asked for her at the safe house." }).OkJson();

        var escalated = await officer.WaitForAsync(
            $"/api/cases/{caseId}/triage", t => t.GetProperty("risk").GetProperty("level").GetString() == "critical",
                "the emergency to raise the case to critical");
        escalated.GetProperty("risk").GetProperty("basis").GetString().ShouldBe("escalation");
        escalated.GetProperty("risk").GetProperty("reasons")[0].GetProperty("rule").GetString()
            .ShouldBe("relocation-emergency-check-in");
        escalated.GetProperty("relocationAlerts").EnumerateArray().Select(a => a.GetProperty("alert").GetString())
            .ShouldBe(["emergencyCheckIn"]);
        escalated.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        await officer.WaitForAsync($"/api/cases/{caseId}", c => c.GetProperty("risk").GetString() == "critical",
            "intake to learn the new risk");
    }

    [Fact]
    public async Task A_relocation_grant_paid_before_any_request_waits_on_the_case_and_funds_the_plan_at_once()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 3));
        await officer.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");
        var requestPath = $"/api/cases/{caseId}/relocations";

        // Paid in emergency assistance before any relocation was requested: the money waits on the case.
        var grantId = await PayRelocationGrantAsync(officer, funder, caseId);
        var waiting = await officer.WaitForAsync(requestPath,
            r => r.GetProperty("waitingFunding").GetArrayLength() > 0, "the paid grant to wait on the case");
        waiting.GetProperty("waitingFunding")[0].GetProperty("grantId").GetGuid().ShouldBe(grantId);

        // The next request takes it, and planned with the money already there it is funded at once.
        var regional = RelocationBody("regional");
        regional["checkInEveryDays"] = 3;
        var requested = await officer.PostAsJsonAsync(requestPath, regional);
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var relocation = await requested.Json();
        relocation.GetProperty("checkInEveryDays").GetInt32().ShouldBe(3);
        relocation.GetProperty("funding")[0].GetProperty("grantId").GetGuid().ShouldBe(grantId);
        var planned = await officer.PostAsJsonAsync($"/api/relocations/{relocation.GetProperty("id").GetGuid()}/plan",
            PlanBody("EC")).OkJson();
        planned.GetProperty("state").GetString().ShouldBe("funded");
        planned.GetProperty("fundedBy").GetGuid().ShouldBe(grantId);
    }

    [Fact]
    public async Task The_host_organisation_reads_only_the_dates_through_the_gateway_and_another_finds_nothing()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await officer.OpenAsync(defender); // no consent to share with a relocation host
        await officer.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");
        var requesting = await officer.PostAsJsonAsync($"/api/cases/{caseId}/relocations", RelocationBody("regional"));
        requesting.StatusCode.ShouldBe(HttpStatusCode.Created, await requesting.Content.ReadAsStringAsync());
        var requested = await requesting.Json();
        var path = $"/api/relocations/{requested.GetProperty("id").GetGuid()}";
        var host = $"host-{Guid.NewGuid():N}";
        var plan = PlanBody("EC");
        plan["hostOrganisationId"] = host;
        (await officer.PostAsJsonAsync($"{path}/plan", plan).OkJson())
            .GetProperty("plan").GetProperty("hostOrganisationId").GetString().ShouldBe(host);

        var hostSupervisor = await SignedInOf(host, "host-supervisor", "supervisor");
        var hosted = await hostSupervisor.GetAsync("/api/relocations/hosted").OkJson();
        var item = hosted.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        item.GetProperty("id").GetGuid().ShouldBe(requested.GetProperty("id").GetGuid());
        item.GetProperty("state").GetString().ShouldBe("planned");
        item.TryGetProperty("plan", out _).ShouldBeFalse();
        item.GetRawText().ShouldNotContain("Quito");
        var read = await hostSupervisor.GetAsync(path).OkJson();
        read.TryGetProperty("plan", out _).ShouldBeFalse();
        read.GetProperty("startOn").GetString().ShouldBe(Today.ToString("yyyy-MM-dd"));
        (await hostSupervisor.PostAsync($"{path}/depart", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var stranger = await SignedInOf($"other-{Guid.NewGuid():N}", "other-officer", "officer");
        (await stranger.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/cases/{caseId}/relocations")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync("/api/relocations/hosted").OkJson()).GetProperty("items").GetArrayLength()
            .ShouldBe(0);
    }

    /// <summary>A client with a development token for <paramref name="organisation"/>.</summary>
    private async Task<HttpClient> SignedInOf(string organisation, string user, string role)
    {
        var issued = await system.Gateway.PostAsJsonAsync(
            "/auth/dev-token", new { user, roles = new[] { role }, organisation });
        issued.StatusCode.ShouldBe(HttpStatusCode.OK, await issued.Content.ReadAsStringAsync());
        var token = (await issued.Json()).GetProperty("token").GetString();
        var client = new HttpClient(system.Contract.Wrap(new SocketsHttpHandler()))
        {
            BaseAddress = system.Gateway.BaseAddress,
        };
        client.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    internal static JsonObject RelocationBody(string kind) => new()
    {
        ["kind"] = kind,
        ["reason"] = "increasedRisk",
        ["people"] = new JsonObject { ["familyMembers"] = 2, ["children"] = 1 },
    };

    internal static JsonObject PlanBody(string country) => new()
    {
        ["destination"] = new JsonObject { ["country"] = country,
            ["city"] = country == "KE" ? "Nairobi" : country == "CO" ? "Bogotá" : "Quito" },
        ["hostOrganisation"] = "Shelter network partner",
        ["startOn"] = Today.ToString("yyyy-MM-dd"),
        ["securityPlan"] = "Night bus with a companion; new SIM on arrival; daily message to the officer.",
        ["visaPlan"] = "Humanitarian visa through the partner embassy programme.",
        ["returnStrategy"] = "Return once the armed group has left the area, reviewed monthly.",
    };

    private static IReadOnlyList<string?> Steps(JsonElement relocation) =>
        relocation.GetProperty("allowedSteps").EnumerateArray().Select(s => s.GetString()).ToArray();

    private static async Task ShouldBeRefused(Task<HttpResponseMessage> request, string[] allowed)
    {
        var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, text);
        JsonDocument.Parse(text).RootElement.GetProperty("allowed").EnumerateArray().Select(s => s.GetString())
            .ShouldBe(allowed);
    }

    /// <summary>An urgent-relocation grant of 3,000 for the case: requested, approved, paid in one tranche.</summary>
    private static async Task<Guid> PayRelocationGrantAsync(HttpClient officer, HttpClient funder, Guid caseId)
    {
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var fundId = await funder.CreateFundAsync(10_000m);
        var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants",
            Funds.GrantBody(fundId, 3_000m, "urgentRelocation"));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var grantId = (await requested.Json()).GetProperty("id").GetGuid();
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" }).OkJson();
        (await funder.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 3_000m }).OkJson())
            .GetProperty("status").GetString().ShouldBe("disbursed");
        return grantId;
    }

    /// <summary>Requested, planned, funded by a paid grant, departed and arrived.</summary>
    private static async Task<Guid> RelocateAsync(HttpClient officer, HttpClient funder, Guid caseId, string kind,
        string country)
    {
        await officer.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");
        var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/relocations", RelocationBody(kind));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var path = $"/api/relocations/{(await requested.Json()).GetProperty("id").GetGuid()}";
        await officer.PostAsJsonAsync($"{path}/plan", PlanBody(country)).OkJson();
        await PayRelocationGrantAsync(officer, funder, caseId);
        await officer.WaitForAsync(path, r => r.GetProperty("state").GetString() == "funded",
            "the relocation to be funded");
        await officer.PostAsync($"{path}/depart", null).OkJson();
        var arrived = await officer.PostAsync($"{path}/arrive", null).OkJson();
        return arrived.GetProperty("id").GetGuid();
    }
}
