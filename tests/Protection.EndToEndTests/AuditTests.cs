using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Protection.EndToEndTests;

/// <summary>
/// The auditor's view through the gateway: merged history, time travel, verification, tampering, access log, export,
/// erasure.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AuditTests(ProtectionSystem system)
{
    [Fact]
    public async Task An_auditor_reads_every_step_of_a_case_through_the_four_services_in_order_and_no_personal_data()
    {
        var story = await FourStages.SharedAsync(system);

        // The merged history: every step, in order, with its service, actor, role and correlation id.
        var history = await story.Auditor.GetAsync($"/api/cases/{story.CaseId}/history").OkJson();
        history.GetProperty("complete").GetBoolean().ShouldBeTrue();
        history.GetProperty("missing").GetArrayLength().ShouldBe(0);
        var entries = history.GetProperty("entries").EnumerateArray().ToArray();
        var times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToArray();
        times.ShouldBe(times.Order().ToArray());
        var steps = entries.Select(e => $"{Text(e, "service")}:{Text(e, "type")}").ToList();
        string[] milestones =
        [
            "intake:CaseOpened", "triage:CaseTakenIn", "triage:RiskAssessed",
            "assistance:GrantRequested", "assistance:GrantApproved",
            "relocation:RelocationRequested", "relocation:RelocationPlanned",
            "assistance:TrancheDisbursed", "relocation:RelocationFunded",
            "relocation:RelocationDeparted", "relocation:RelocationArrived",
            "relocation:CheckInRecorded",
        ];
        var positions = milestones.Select(m => steps.IndexOf(m)).ToArray();
        positions.ShouldAllBe(p => p >= 0, string.Join(", ", steps));
        positions.ShouldBe(positions.Order().ToArray(), string.Join(", ", steps));
        Entry(entries, "intake", "CaseOpened").ShouldSatisfyAllConditions(
            e => Text(e, "actor").ShouldBe(story.OfficerId), e => Text(e, "role").ShouldBe("officer"));
        Entry(entries, "triage", "RiskAssessed").ShouldSatisfyAllConditions(
            e => Text(e, "actor").ShouldBe(story.OfficerId), e => Text(e, "summary")!.ShouldContain("high"));
        Entry(entries, "assistance", "GrantApproved").ShouldSatisfyAllConditions(
            e => Text(e, "actor").ShouldBe(story.FunderId), e => Text(e, "role").ShouldBe("funder"));
        Text(Entry(entries, "relocation", "RelocationFunded"), "actor").ShouldStartWith("system:");
        entries.ShouldAllBe(e => !string.IsNullOrEmpty(Text(e, "correlationId"))
            && !string.IsNullOrEmpty(Text(e, "summary")) && Text(e, "hash")!.Length == 64);
        var now = history.GetProperty("state");
        Text(now.GetProperty("intake"), "stage").ShouldBe("relocation");
        Text(now.GetProperty("assistance").GetProperty("grants")[0], "status").ShouldBe("disbursed");
        Text(now.GetProperty("relocation").GetProperty("relocations")[0], "state").ShouldBe("arrived");
        story.Defender.ShouldNotAppearIn(history.GetRawText());
    }

    [Fact]
    public async Task An_auditor_travels_to_a_moment_and_sees_the_case_as_it_stood_then()
    {
        var story = await FourStages.SharedAsync(system);
        var asOf = Uri.EscapeDataString(story.Midway.ToString("O", CultureInfo.InvariantCulture));

        // The case as it stood after the assessment, before any grant.
        var past = await story.Auditor.GetAsync($"/api/cases/{story.CaseId}/history?asOf={asOf}").OkJson();
        var then = past.GetProperty("state");
        Text(then.GetProperty("intake"), "stage").ShouldBe("triage");
        Text(then.GetProperty("intake"), "risk").ShouldBe("high");
        then.GetProperty("intake").GetProperty("openGrants").GetInt32().ShouldBe(0);
        Text(then.GetProperty("triage"), "risk").ShouldBe("high");
        then.GetProperty("assistance").ValueKind.ShouldBe(JsonValueKind.Null);
        then.GetProperty("relocation").ValueKind.ShouldBe(JsonValueKind.Null);
        var pastSteps = past.GetProperty("entries").EnumerateArray()
            .Select(e => $"{Text(e, "service")}:{Text(e, "type")}").ToList();
        pastSteps.ShouldContain("triage:RiskAssessed");
        pastSteps.ShouldNotContain("assistance:GrantRequested");
        past.GetProperty("entries").EnumerateArray()
            .ShouldAllBe(e => e.GetProperty("at").GetDateTimeOffset() <= story.Midway);
        var fileThen = await story.Officer.GetAsync($"/api/cases/{story.CaseId}?asOf={asOf}").OkJson();
        Text(fileThen, "stage").ShouldBe("triage");
        Text(fileThen, "risk").ShouldBe("high");
        fileThen.GetProperty("asOf").GetDateTimeOffset().ShouldBe(story.Midway);
        await story.Officer.GetAsync($"/api/cases/{story.CaseId}?asOf=soon")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "asOf");
    }

    [Fact]
    public async Task An_auditor_verifies_every_chain_of_every_service_intact()
    {
        var story = await FourStages.SharedAsync(system);
        var history = await story.Auditor.GetAsync($"/api/cases/{story.CaseId}/history").OkJson();

        var verified = await story.Auditor.GetAsync($"/api/cases/{story.CaseId}/verify").OkJson();
        Text(verified, "verdict").ShouldBe("intact", verified.GetRawText());
        verified.GetProperty("services").GetArrayLength().ShouldBe(4);
        verified.GetProperty("eventsChecked").GetInt32()
            .ShouldBeGreaterThanOrEqualTo(history.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task An_auditor_exports_the_events_as_json_lines_and_csv_with_sealed_values_withheld()
    {
        var story = await FourStages.SharedAsync(system);
        var history = await story.Auditor.GetAsync($"/api/cases/{story.CaseId}/history").OkJson();

        var jsonl = await ExportAsync(story.Auditor, story.CaseId, "jsonl");
        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBeGreaterThanOrEqualTo(history.GetProperty("entries").GetArrayLength());
        foreach (var line in lines.Select(l => JsonDocument.Parse(l).RootElement))
        {
            line.TryGetProperty("data", out var data).ShouldBeTrue();
            data.ValueKind.ShouldBe(JsonValueKind.Object);
            Text(line, "hash")!.Length.ShouldBe(64);
        }

        jsonl.ShouldContain("[withheld]");
        story.Defender.ShouldNotAppearIn(jsonl);
        var csv = await ExportAsync(story.Auditor, story.CaseId, "csv");
        csv.Split('\n')[0].ShouldStartWith("At,Service,StreamKind,Stream,Version,Type,Actor,Role");
        csv.ShouldContain("RelocationArrived");
        story.Defender.ShouldNotAppearIn(csv);
    }

    [Fact]
    public async Task The_access_log_lists_the_auditors_reads_the_officers_and_a_refused_strangers()
    {
        var story = await FourStages.SharedAsync(system);
        var auditorId = $"auditor-{Guid.NewGuid():N}";
        using var auditor = await system.SignedInAs(auditorId, "auditor");
        await auditor.GetAsync($"/api/cases/{story.CaseId}/history").OkJson();
        await auditor.GetAsync($"/api/cases/{story.CaseId}/verify").OkJson();
        await ExportAsync(auditor, story.CaseId, "jsonl");

        var accessLog = await auditor.GetAsync($"/api/cases/{story.CaseId}/access-log").OkJson();
        var reads = accessLog.GetProperty("entries").EnumerateArray().ToArray();
        reads.ShouldContain(r => Text(r, "reader") == auditorId && Text(r, "what") == "history"
            && Text(r, "service") == "relocation");
        reads.ShouldContain(r => Text(r, "reader") == auditorId && Text(r, "what") == "verification");
        reads.ShouldContain(r => Text(r, "reader") == auditorId && Text(r, "what") == "export");
        reads.ShouldContain(r => Text(r, "reader") == story.OfficerId && Text(r, "what") == "case-file"
            && r.GetProperty("status").GetInt32() == 200);
        reads.ShouldContain(r => Text(r, "reader") == story.StrangerId && Text(r, "what") == "case-file"
            && r.GetProperty("status").GetInt32() == 403);
        reads.ShouldContain(r => Text(r, "reader") == story.OfficerId && Text(r, "what") == "relocation");
    }

    [Fact]
    public async Task After_an_administrator_erases_a_case_no_answer_of_any_service_holds_the_defenders_data()
    {
        // A case of its own: erasure changes it for good.
        var story = await FourStages.TellAsync(system);
        var (officer, auditor, caseId, defender) = (story.Officer, story.Auditor, story.CaseId, story.Defender);
        using var funder = await system.SignedInAs(story.FunderId, "funder");
        using var admin = await system.SignedInAs($"admin-{Guid.NewGuid():N}", "admin");

        // Erasure: admins only, with a basis, once.
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" })
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "basis");
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" }).OkJson();
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" })
            .ShouldBeProblem(HttpStatusCode.Conflict);

        // Every service destroys its key: then nothing the API answers holds the defender's data.
        var erasedFile = await officer.WaitForAsync($"/api/cases/{caseId}", c => Text(c, "personalData") == "erased",
            "intake to show the data erased");
        var erasedRelocation = await officer.WaitForAsync(story.RelocationPath,
            r => r.GetProperty("plan").GetProperty("securityPlan").GetString() == "[erased]",
            "relocation to destroy its key");
        var erasedTriage = await officer.WaitForAsync($"/api/cases/{caseId}/triage",
            t => !t.GetRawText().Contains(defender.FullName, StringComparison.Ordinal), "triage to destroy its key");
        var erasedGrant = await officer.WaitForAsync($"/api/grants/{story.GrantId}",
            g => !g.GetRawText().Contains(defender.FullName, StringComparison.Ordinal),
            "assistance to destroy its key");
        string[] answers =
        [
            erasedFile.GetRawText(),
            erasedRelocation.GetRawText(),
            erasedTriage.GetRawText(),
            erasedGrant.GetRawText(),
            await officer.GetStringAsync($"/api/cases/{caseId}/grants"),
            await officer.GetStringAsync($"/api/cases/{caseId}/relocations"),
            await funder.GetStringAsync($"/api/grants/{story.GrantId}"),
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
        var erasedBy = Entry(
            afterErasure.GetProperty("entries").EnumerateArray().ToArray(), "intake", "PersonalDataErased");
        Text(erasedBy, "role").ShouldBe("admin");
        afterErasure.GetProperty("state").GetProperty("intake").GetProperty("personalDataErased").GetBoolean()
            .ShouldBeTrue();
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
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/assessment",
            new JsonObject { ["scores"] = Triage.Scores(3, 3, 2, 2, 3) }).OkJson();
        Text(await auditor.GetAsync($"/api/cases/{caseId}/verify").OkJson(), "verdict").ShouldBe("intact");

        var history = await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson();
        var assessed = Entry(history.GetProperty("entries").EnumerateArray().ToArray(), "triage", "RiskAssessed");
        var version = assessed.GetProperty("version").GetInt64();

        // Someone with database access lowers the assessed level of the stored event.
        await using (var connection = new NpgsqlConnection(system.DatabaseOf("triage")))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand(
                "update triage.mt_events set data = jsonb_set(data, '{level}', '\"low\"') "
                + "where stream_id = @stream and version = @version", connection);
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
        verified.GetProperty("services").EnumerateArray().Where(s => Text(s, "service") != "triage")
            .ShouldAllBe(s => s.GetProperty("intact").GetBoolean());
        (await auditor.GetAsync($"/api/cases/{caseId}/history")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_a_service_down_the_history_names_it_missing_and_an_export_is_refused_rather_than_partial()
    {
        // A gateway whose relocation service is at an address where nothing listens.
        var down = new Dictionary<string, string>
        {
            ["ReverseProxy__Clusters__relocation__Destinations__primary__Address"] = "http://127.0.0.1:9/",
            ["AuditComposition__BreakDuration"] = "00:01:00",
        };
        var gateway = await system.StartGatewayAsync("gateway-relocation-down", 10000, 10000, down);
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
                reason = Text((await auditor.GetAsync($"/api/cases/{caseId}/history").OkJson())
                    .GetProperty("missing")[0], "reason")!;
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

        (await system.Gateway.GetAsync($"/api/cases/{caseId}/history"))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await officer.GetAsync($"/api/cases/{caseId}/history").ShouldBeProblem(HttpStatusCode.Forbidden);
        await admin.GetAsync($"/api/cases/{caseId}/history").ShouldBeProblem(HttpStatusCode.Forbidden);
        await supervisor.GetAsync($"/api/cases/{caseId}/verify").ShouldBeProblem(HttpStatusCode.Forbidden);
        await supervisor.GetAsync($"/api/cases/{caseId}/export").ShouldBeProblem(HttpStatusCode.Forbidden);
        await officer.GetAsync($"/api/cases/{caseId}/access-log").ShouldBeProblem(HttpStatusCode.Forbidden);
        await auditor.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "defenderRequest" })
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await supervisor.GetAsync($"/api/cases/{caseId}/history").OkJson()).GetProperty("complete").GetBoolean()
            .ShouldBeTrue();

        await auditor.GetAsync($"/api/cases/{Guid.NewGuid()}/history").ShouldBeProblem(HttpStatusCode.NotFound);
        await auditor.GetAsync($"/api/cases/{Guid.NewGuid()}/verify").ShouldBeProblem(HttpStatusCode.NotFound);
        await admin.PostAsJsonAsync($"/api/cases/{Guid.NewGuid()}/erasure", new { basis = "defenderRequest" })
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await auditor.GetAsync($"/api/cases/{caseId}/history?asOf=last-tuesday")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "asOf");
        await auditor.GetAsync($"/api/cases/{caseId}/export?format=xml")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "format");
        await admin.PostAsJsonAsync($"/api/cases/{caseId}/erasure", new { basis = "becauseISaySo" })
            .ShouldBeProblem(HttpStatusCode.BadRequest);

        // Before the case existed there was nothing: no events, no state.
        var before = await auditor.GetAsync($"/api/cases/{caseId}/history?asOf=2020-01-01T00:00:00Z").OkJson();
        before.GetProperty("entries").GetArrayLength().ShouldBe(0);
        before.GetProperty("state").GetProperty("intake").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static JsonElement Entry(JsonElement[] entries, string service, string type)
    {
        var found = entries.FirstOrDefault(e => Text(e, "service") == service && Text(e, "type") == type);
        var seen = string.Join(", ", entries.Select(e => $"{Text(e, "service")}:{Text(e, "type")}"));
        return found.ValueKind == JsonValueKind.Object
            ? found
            : throw new ShouldAssertException($"No {service} {type} in: {seen}");
    }

    private static async Task<string> ExportAsync(HttpClient auditor, Guid caseId, string format)
    {
        var response = await auditor.GetAsync($"/api/cases/{caseId}/export?format={format}");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(format == "csv" ? "text/csv" : "application/x-ndjson");
        return text;
    }
}
