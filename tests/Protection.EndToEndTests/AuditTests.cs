using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Protection.EndToEndTests;

/// <summary>The auditor's view through the gateway: merged history, time travel, verification, tampering, access log, export, erasure.</summary>
[Collection(SystemCollection.Name)]
public sealed class AuditTests(ProtectionSystem system)
{
    [Fact]
    public async Task An_auditor_replays_a_case_through_all_four_stages_travels_to_a_moment_verifies_it_and_after_erasure_finds_no_personal_data_anywhere()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var funderId = $"funder-{Guid.NewGuid():N}";
        var auditorId = $"auditor-{Guid.NewGuid():N}";
        var strangerId = $"officer-{Guid.NewGuid():N}";
        var officer = await system.SignedInAs(officerId, "officer");
        var funder = await system.SignedInAs(funderId, "funder");
        var auditor = await system.SignedInAs(auditorId, "auditor");
        var stranger = await system.SignedInAs(strangerId, "officer");
        var admin = await system.SignedInAs($"admin-{Guid.NewGuid():N}", "admin");
        var defender = Cases.Defender.Unique();

        // Intake and triage: a physical threat three days ago (high), then an assessment whose note names the defender.
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 3));
        await officer.WaitForTriageAsync(caseId);
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/assessment", new JsonObject
        {
            ["scores"] = Triage.Scores(2, 2, 1, 1, 2),
            ["notes"] = new JsonObject { ["physical"] = $"{defender.FullName} was followed home twice." },
        }).OkJson();
        await officer.WaitForAsync($"/api/cases/{caseId}", c => Text(c, "risk") == "high" && Text(c, "stage") == "triage" && c.GetProperty("triageDueAt").ValueKind == JsonValueKind.Null, "intake to note the assessment");
        var midway = await MomentAfterLatestEventAsync(caseId);

        // Emergency assistance: an urgent-relocation grant whose purpose names the defender, approved.
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var fundId = await funder.CreateFundAsync(10_000m);
        var grant = Funds.GrantBody(fundId, 3_000m, "urgentRelocation");
        grant["purpose"] = $"Bus tickets for {defender.FullName} and her son.";
        var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants", grant);
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var grantId = (await requested.Json()).GetProperty("id").GetGuid();
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" }).OkJson();

        // Relocation: requested, planned (the security plan names the defender), funded by the paid grant, moved, checked in.
        await officer.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");
        var relocation = await officer.PostAsJsonAsync($"/api/cases/{caseId}/relocations", RelocationTests.RelocationBody("inCountrySafeHouse"));
        relocation.StatusCode.ShouldBe(HttpStatusCode.Created, await relocation.Content.ReadAsStringAsync());
        var relocationPath = $"/api/relocations/{(await relocation.Json()).GetProperty("id").GetGuid()}";
        var plan = RelocationTests.PlanBody("CO");
        plan["securityPlan"] = $"{defender.FullName} travels at night with a companion.";
        await officer.PostAsJsonAsync($"{relocationPath}/plan", plan).OkJson();
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 3_000m }).OkJson();
        await officer.WaitForAsync(relocationPath, r => Text(r, "state") == "funded", "the paid grant to fund the relocation");
        await officer.PostAsync($"{relocationPath}/depart", null).OkJson();
        await officer.PostAsync($"{relocationPath}/arrive", null).OkJson();
        await officer.PostAsJsonAsync($"{relocationPath}/check-ins", new { status = "safe", note = $"{defender.FullName} is settled." }).OkJson();
        await officer.WaitForAsync($"/api/cases/{caseId}", c => Text(c, "stage") == "relocation", "intake's stage to become relocation");

        // Reads the access log must show: the officer's own (with personal data) and a refused stranger's.
        var caseFile = await officer.GetAsync($"/api/cases/{caseId}").OkJson();
        caseFile.GetRawText().ShouldContain(defender.FullName); // the officer sees it: the search below is meaningful
        (await stranger.GetAsync($"/api/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The merged history: every step, in order, with its service, actor, role and correlation id.
        var history = await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson();
        history.GetProperty("complete").GetBoolean().ShouldBeTrue();
        history.GetProperty("missing").GetArrayLength().ShouldBe(0);
        var entries = history.GetProperty("entries").EnumerateArray().ToArray();
        var times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToArray();
        times.ShouldBe(times.Order().ToArray());
        var steps = entries.Select(e => $"{Text(e, "service")}:{Text(e, "type")}").ToList();
        string[] milestones =
        [
            "intake:CaseOpened", "triage:CaseTakenIn", "triage:RiskAssessed",
            "assistance:GrantRequested", "assistance:GrantApproved", "relocation:RelocationRequested", "relocation:RelocationPlanned",
            "assistance:TrancheDisbursed", "relocation:RelocationFunded", "relocation:RelocationDeparted", "relocation:RelocationArrived",
            "relocation:CheckInRecorded",
        ];
        var positions = milestones.Select(m => steps.IndexOf(m)).ToArray();
        positions.ShouldAllBe(p => p >= 0, string.Join(", ", steps));
        positions.ShouldBe(positions.Order().ToArray(), string.Join(", ", steps));
        Entry(entries, "intake", "CaseOpened").ShouldSatisfyAllConditions(
            e => Text(e, "actor").ShouldBe(officerId), e => Text(e, "role").ShouldBe("officer"));
        Entry(entries, "triage", "RiskAssessed").ShouldSatisfyAllConditions(
            e => Text(e, "actor").ShouldBe(officerId), e => Text(e, "summary")!.ShouldContain("high"));
        Entry(entries, "assistance", "GrantApproved").ShouldSatisfyAllConditions(
            e => Text(e, "actor").ShouldBe(funderId), e => Text(e, "role").ShouldBe("funder"));
        Text(Entry(entries, "relocation", "RelocationFunded"), "actor").ShouldStartWith("system:");
        entries.ShouldAllBe(e => !string.IsNullOrEmpty(Text(e, "correlationId")) && !string.IsNullOrEmpty(Text(e, "summary")) && Text(e, "hash")!.Length == 64);
        var now = history.GetProperty("state");
        Text(now.GetProperty("intake"), "stage").ShouldBe("relocation");
        Text(now.GetProperty("assistance").GetProperty("grants")[0], "status").ShouldBe("disbursed");
        Text(now.GetProperty("relocation").GetProperty("relocations")[0], "state").ShouldBe("arrived");
        defender.ShouldNotAppearIn(history.GetRawText());

        // Time travel: the case as it stood after the assessment, before any grant.
        var past = await auditor.GetAsync($"/api/cases/{caseId}/history?asOf={Uri.EscapeDataString(midway.ToString("O", CultureInfo.InvariantCulture))}").OkJson();
        var then = past.GetProperty("state");
        Text(then.GetProperty("intake"), "stage").ShouldBe("triage");
        Text(then.GetProperty("intake"), "risk").ShouldBe("high");
        then.GetProperty("intake").GetProperty("openGrants").GetInt32().ShouldBe(0);
        Text(then.GetProperty("triage"), "risk").ShouldBe("high");
        then.GetProperty("assistance").ValueKind.ShouldBe(JsonValueKind.Null);
        then.GetProperty("relocation").ValueKind.ShouldBe(JsonValueKind.Null);
        var pastSteps = past.GetProperty("entries").EnumerateArray().Select(e => $"{Text(e, "service")}:{Text(e, "type")}").ToList();
        pastSteps.ShouldContain("triage:RiskAssessed");
        pastSteps.ShouldNotContain("assistance:GrantRequested");
        past.GetProperty("entries").EnumerateArray().ShouldAllBe(e => e.GetProperty("at").GetDateTimeOffset() <= midway);
        var fileThen = await officer.GetAsync($"/api/cases/{caseId}?asOf={Uri.EscapeDataString(midway.ToString("O", CultureInfo.InvariantCulture))}").OkJson();
        Text(fileThen, "stage").ShouldBe("triage");
        Text(fileThen, "risk").ShouldBe("high");
        fileThen.GetProperty("asOf").GetDateTimeOffset().ShouldBe(midway);
        await officer.GetAsync($"/api/cases/{caseId}?asOf=soon").ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "asOf");

        // Verification recomputes every chain in every service.
        var verified = await auditor.GetAsync($"/api/cases/{caseId}/verify").OkJson();
        Text(verified, "verdict").ShouldBe("intact", verified.GetRawText());
        verified.GetProperty("services").GetArrayLength().ShouldBe(4);
        verified.GetProperty("eventsChecked").GetInt32().ShouldBeGreaterThanOrEqualTo(entries.Length);

        // Export: JSON lines and CSV, the events' data with sealed values withheld.
        var jsonl = await ExportAsync(auditor, caseId, "jsonl");
        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBeGreaterThanOrEqualTo(entries.Length);
        foreach (var line in lines.Select(l => JsonDocument.Parse(l).RootElement))
        {
            line.TryGetProperty("data", out var data).ShouldBeTrue();
            data.ValueKind.ShouldBe(JsonValueKind.Object);
            Text(line, "hash")!.Length.ShouldBe(64);
        }

        jsonl.ShouldContain("[withheld]");
        defender.ShouldNotAppearIn(jsonl);
        var csv = await ExportAsync(auditor, caseId, "csv");
        csv.Split('\n')[0].ShouldStartWith("At,Service,StreamKind,Stream,Version,Type,Actor,Role");
        csv.ShouldContain("RelocationArrived");
        defender.ShouldNotAppearIn(csv);

        // The access log lists the auditor's own reads, the officer's and the refused stranger's.
        var accessLog = await auditor.GetAsync($"/api/cases/{caseId}/access-log").OkJson();
        var reads = accessLog.GetProperty("entries").EnumerateArray().ToArray();
        reads.ShouldContain(r => Text(r, "reader") == auditorId && Text(r, "what") == "history" && Text(r, "service") == "relocation");
        reads.ShouldContain(r => Text(r, "reader") == auditorId && Text(r, "what") == "verification");
        reads.ShouldContain(r => Text(r, "reader") == auditorId && Text(r, "what") == "export");
        reads.ShouldContain(r => Text(r, "reader") == officerId && Text(r, "what") == "case-file" && r.GetProperty("status").GetInt32() == 200);
        reads.ShouldContain(r => Text(r, "reader") == strangerId && Text(r, "what") == "case-file" && r.GetProperty("status").GetInt32() == 403);
        reads.ShouldContain(r => Text(r, "reader") == officerId && Text(r, "what") == "relocation");

        // Erasure: admins only, with a basis, once.
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" }).ShouldBeProblem(HttpStatusCode.Forbidden);
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { }).ShouldBeProblem(HttpStatusCode.BadRequest, "basis");
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" }).OkJson();
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" }).ShouldBeProblem(HttpStatusCode.Conflict);

        // Every service destroys its key: then nothing the API answers holds the defender's data.
        var erasedFile = await officer.WaitForAsync($"/api/cases/{caseId}", c => Text(c, "personalData") == "erased", "intake to show the data erased");
        var erasedRelocation = await officer.WaitForAsync(relocationPath, r => r.GetProperty("plan").GetProperty("securityPlan").GetString() == "[erased]", "relocation to destroy its key");
        var erasedTriage = await officer.WaitForAsync($"/api/cases/{caseId}/triage", t => !t.GetRawText().Contains(defender.FullName, StringComparison.Ordinal), "triage to destroy its key");
        var erasedGrant = await officer.WaitForAsync($"/api/grants/{grantId}", g => !g.GetRawText().Contains(defender.FullName, StringComparison.Ordinal), "assistance to destroy its key");
        string[] answers =
        [
            erasedFile.GetRawText(),
            erasedRelocation.GetRawText(),
            erasedTriage.GetRawText(),
            erasedGrant.GetRawText(),
            await officer.GetStringAsync($"/api/cases/{caseId}/grants"),
            await officer.GetStringAsync($"/api/cases/{caseId}/relocations"),
            await funder.GetStringAsync($"/api/grants/{grantId}"),
            await auditor.GetStringAsync($"/api/cases/{caseId}"),
            await auditor.GetStringAsync($"/api/cases/{caseId}/history"),
            await auditor.GetStringAsync($"/api/cases/{caseId}/access-log"),
            await ExportAsync(auditor, caseId, "jsonl"),
            await ExportAsync(auditor, caseId, "csv"),
        ];
        foreach (var answer in answers)
        {
            defender.ShouldNotAppearIn(answer);
        }

        (await ExportAsync(auditor, caseId, "jsonl")).ShouldContain("[erased]");
        var afterErasure = await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson();
        Text(Entry(afterErasure.GetProperty("entries").EnumerateArray().ToArray(), "intake", "PersonalDataErased"), "role").ShouldBe("admin");
        afterErasure.GetProperty("state").GetProperty("intake").GetProperty("personalDataErased").GetBoolean().ShouldBeTrue();
        Text(await auditor.GetAsync($"/api/cases/{caseId}/verify").OkJson(), "verdict").ShouldBe("intact");
    }

    [Fact]
    public async Task Changing_a_stored_event_in_the_database_makes_verification_fail_at_that_event()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var auditor = await system.SignedInAs($"auditor-{Guid.NewGuid():N}", "auditor");
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "intimidation", daysAgo: 20));
        await officer.WaitForTriageAsync(caseId);
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/assessment", new JsonObject { ["scores"] = Triage.Scores(3, 3, 2, 2, 3) }).OkJson();
        Text(await auditor.GetAsync($"/api/cases/{caseId}/verify").OkJson(), "verdict").ShouldBe("intact");

        var history = await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson();
        var assessed = Entry(history.GetProperty("entries").EnumerateArray().ToArray(), "triage", "RiskAssessed");
        var version = assessed.GetProperty("version").GetInt64();

        // Someone with database access lowers the assessed level of the stored event.
        await using (var connection = new NpgsqlConnection(system.DatabaseOf("triage")))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand(
                "update triage.mt_events set data = jsonb_set(data, '{level}', '\"low\"') where stream_id = @stream and version = @version", connection);
            tamper.Parameters.AddWithValue("stream", caseId);
            tamper.Parameters.AddWithValue("version", version);
            (await tamper.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var verified = await auditor.GetAsync($"/api/cases/{caseId}/verify").OkJson();
        Text(verified, "verdict").ShouldBe("broken");
        verified.GetProperty("intact").GetBoolean().ShouldBeFalse();
        var broken = verified.GetProperty("firstBroken");
        Text(broken, "service").ShouldBe("triage");
        broken.GetProperty("stream").GetGuid().ShouldBe(caseId);
        broken.GetProperty("version").GetInt64().ShouldBe(version);
        Text(broken, "type").ShouldBe("RiskAssessed");
        Text(broken, "reason")!.ShouldContain("does not match its hash");

        // The other services' chains are untouched, and the history can still be read.
        verified.GetProperty("services").EnumerateArray().Where(s => Text(s, "service") != "triage").ShouldAllBe(s => s.GetProperty("intact").GetBoolean());
        (await auditor.GetAsync($"/api/cases/{caseId}/history")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_service_that_is_down_is_named_as_missing_the_breaker_opens_and_an_export_is_refused_rather_than_partial()
    {
        // A gateway whose relocation service is at an address where nothing listens.
        var gateway = await system.StartGatewayAsync("gateway-relocation-down", 10000, 10000, new Dictionary<string, string>
        {
            ["ReverseProxy__Clusters__relocation__Destinations__primary__Address"] = "http://127.0.0.1:9/",
            ["AuditComposition__BreakDuration"] = "00:01:00",
        });
        try
        {
            var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
            var defender = Cases.Defender.Unique();
            var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "digital", daysAgo: 10));
            await officer.WaitForTriageAsync(caseId);
            var auditor = await system.SignedInAs($"auditor-{Guid.NewGuid():N}", "auditor");
            auditor.BaseAddress = gateway.Address;

            var history = await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson();
            history.GetProperty("complete").GetBoolean().ShouldBeFalse();
            var missing = history.GetProperty("missing").EnumerateArray().ShouldHaveSingleItem();
            Text(missing, "service").ShouldBe("relocation");
            Text(missing, "reason")!.ShouldContain("unreachable");
            history.GetProperty("entries").EnumerateArray().Select(e => Text(e, "type")).ShouldContain("CaseOpened");
            history.GetProperty("state").TryGetProperty("relocation", out _).ShouldBeFalse();

            // After repeated failures the breaker opens: the service is no longer called, and the answer says so.
            var reason = string.Empty;
            for (var i = 0; i < 6 && !reason.Contains("circuit breaker", StringComparison.Ordinal); i++)
            {
                reason = Text((await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson()).GetProperty("missing")[0], "reason")!;
            }

            reason.ShouldContain("circuit breaker is open");

            var verified = await auditor.GetAsync($"/api/cases/{caseId}/verify").OkJson();
            Text(verified, "verdict").ShouldBe("incomplete");
            verified.GetProperty("intact").GetBoolean().ShouldBeFalse();

            var export = await auditor.GetAsync($"/api/cases/{caseId}/export");
            var text = await export.Content.ReadAsStringAsync();
            export.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
            text.ShouldContain("relocation");
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task Audit_routes_refuse_the_wrong_roles_unknown_cases_and_bad_moments()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        var auditor = await system.SignedInAs($"auditor-{Guid.NewGuid():N}", "auditor");
        var admin = await system.SignedInAs($"admin-{Guid.NewGuid():N}", "admin");
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "intimidation", daysAgo: 5));

        (await system.Gateway.GetAsync($"/api/cases/{caseId}/history")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await officer.GetAsync($"/api/cases/{caseId}/history").ShouldBeProblem(HttpStatusCode.Forbidden);
        await admin.GetAsync($"/api/cases/{caseId}/history").ShouldBeProblem(HttpStatusCode.Forbidden);
        await supervisor.GetAsync($"/api/cases/{caseId}/verify").ShouldBeProblem(HttpStatusCode.Forbidden);
        await supervisor.GetAsync($"/api/cases/{caseId}/export").ShouldBeProblem(HttpStatusCode.Forbidden);
        await officer.GetAsync($"/api/cases/{caseId}/access-log").ShouldBeProblem(HttpStatusCode.Forbidden);
        await auditor.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" }).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await supervisor.GetAsync($"/api/cases/{caseId}/history").OkJson()).GetProperty("complete").GetBoolean().ShouldBeTrue();

        await auditor.GetAsync($"/api/cases/{Guid.NewGuid()}/history").ShouldBeProblem(HttpStatusCode.NotFound);
        await auditor.GetAsync($"/api/cases/{Guid.NewGuid()}/verify").ShouldBeProblem(HttpStatusCode.NotFound);
        await admin.PostAsJsonAsync($"/api/cases/{Guid.NewGuid()}/erasure", new { basis = "defenderRequest" }).ShouldBeProblem(HttpStatusCode.NotFound);
        await auditor.GetAsync($"/api/cases/{caseId}/history?asOf=last-tuesday").ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "asOf");
        await auditor.GetAsync($"/api/cases/{caseId}/export?format=xml").ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "format");
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "becauseISaySo" }).ShouldBeProblem(HttpStatusCode.BadRequest);

        // Before the case existed there was nothing: no events, no state.
        var before = await auditor.GetAsync($"/api/cases/{caseId}/history?asOf=2020-01-01T00:00:00Z").OkJson();
        before.GetProperty("entries").GetArrayLength().ShouldBe(0);
        before.GetProperty("state").GetProperty("intake").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement Entry(JsonElement[] entries, string service, string type) =>
        entries.FirstOrDefault(e => Text(e, "service") == service && Text(e, "type") == type) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new ShouldAssertException($"No {service} {type} in: {string.Join(", ", entries.Select(e => $"{Text(e, "service")}:{Text(e, "type")}"))}");

    private static async Task<string> ExportAsync(HttpClient auditor, Guid caseId, string format)
    {
        var response = await auditor.GetAsync($"/api/cases/{caseId}/export?format={format}");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(format == "csv" ? "text/csv" : "application/x-ndjson");
        return text;
    }

    /// <summary>
    /// A moment strictly between what was committed before and what is committed after: just after the case's
    /// latest event in the merged history, returned once this machine's clock (the stores' clock too) has
    /// passed it. Read by a supervisor, so that the auditor's own reads in the access log stay the test's.
    /// </summary>
    private async Task<DateTimeOffset> MomentAfterLatestEventAsync(Guid caseId)
    {
        using var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        var history = await supervisor.GetAsync($"/api/cases/{caseId}/history").OkJson();
        var latest = history.GetProperty("entries").EnumerateArray().Max(e => e.GetProperty("at").GetDateTimeOffset());
        var moment = latest + TimeSpan.FromMilliseconds(1);
        await Protection.Testing.Eventually.Get(
            () => Task.FromResult(DateTimeOffset.UtcNow > moment ? "passed" : null), TimeSpan.FromSeconds(5),
            "this machine's clock to pass the moment");
        return moment;
    }
}
