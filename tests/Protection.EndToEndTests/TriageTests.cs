using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// Triage through the gateway: queue, assessment with reasons, assignment, plan, escalation, closing.
/// (Each answer and refusal of its endpoints alone is in the service tests: Protection.ServiceTests, Triage.)
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TriageTests(ProtectionSystem system)
{
    [Fact]
    public async Task A_recent_physical_threat_is_queued_high_then_assessed_assigned_and_escalated_by_a_second_threat()
    {
        await using var escalations = await RawQueue.BindAsync(system.RabbitMq, "protection.triage.case-escalated.v1");
        var opener = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, reference) = await opener.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 2));

        // In the opener's queue as at least high, with the deadline of its level counted from intake.
        var queued = (await opener.WaitForAsync("/api/triage/queue",
            q => q.Items().Any(i => i.GetProperty("caseId").GetGuid() == id), "the case in the queue"))
            .Items().Single(i => i.GetProperty("caseId").GetGuid() == id);
        queued.GetProperty("risk").GetString().ShouldBeOneOf("high", "critical");
        queued.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        var file = await (await opener.GetAsync($"/api/cases/{id}")).Json();
        var deadline = queued.GetProperty("dueAt").GetDateTimeOffset() - file.GetProperty("openedAt")
            .GetDateTimeOffset();
        deadline.ShouldBe(queued.GetProperty("risk")
            .GetString() == "high" ? TimeSpan.FromHours(4) : TimeSpan.FromHours(1));

        // Assessed: the level comes with the rules that produced it and the facts they used.
        var assessed = await opener.PostAsJsonAsync($"/api/cases/{id}/assessment", new JsonObject
        {
            ["scores"] = Triage.Scores(2, 2, 0, 1, 1),
            ["notes"] = new JsonObject { ["physical"] = "Followed on two evenings" },
        }).OkJson();
        assessed.GetProperty("risk").GetProperty("level").GetString().ShouldBe("high");
        assessed.GetProperty("risk").GetProperty("basis").GetString().ShouldBe("assessment");
        var reasons = assessed.GetProperty("risk").GetProperty("reasons").EnumerateArray().ToArray();
        var decisive = reasons.Single(r => r.GetProperty("rule").GetString() == "recent-violence");
        decisive.GetProperty("decisive").GetBoolean().ShouldBeTrue();
        decisive.GetProperty("evidence")[0].GetString()!.ShouldContain("physical");
        reasons.ShouldContain(r => r.GetProperty("rule").GetString() == "any-dimension-severe"
            && !r.GetProperty("decisive").GetBoolean());
        assessed.GetProperty("awaitingTriage").GetBoolean().ShouldBeFalse();

        // Assigned by a supervisor: from now on the case is the assignee's, and no other officer's.
        var assignee = $"officer-{Guid.NewGuid():N}";
        var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        (await opener.PostAsJsonAsync($"/api/cases/{id}/assignment", new { officer = assignee }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await supervisor.PostAsJsonAsync($"/api/cases/{id}/assignment", new { officer = assignee }).OkJson())
            .GetProperty("assignedTo").GetString().ShouldBe(assignee);

        var officer = await system.SignedInAs(assignee, "officer");
        var seen = await officer.WaitForAsync($"/api/cases/{id}",
            f => f.GetProperty("assignedTo").GetString() == assignee, "intake to learn the assignment");
        seen.GetProperty("stage").GetString().ShouldBe("triage");
        seen.GetProperty("risk").GetString().ShouldBe("high");
        seen.GetProperty("personalData").GetString().ShouldBe("visible");
        (await officer.GetAsync($"/api/cases/{id}/triage")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await officer.GetFromJsonAsync<JsonElement>("/api/triage/queue")).Items()
            .ShouldContain(i => i.GetProperty("caseId").GetGuid() == id);

        var other = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        (await other.GetAsync($"/api/cases/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.GetAsync($"/api/cases/{id}/triage")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.PostAsJsonAsync($"/api/cases/{id}/assessment",
            new JsonObject { ["scores"] = Triage.Scores(0, 0, 0, 0, 0) }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.GetFromJsonAsync<JsonElement>("/api/triage/queue")).Items()
            .ShouldNotContain(i => i.GetProperty("caseId").GetGuid() == id);
        (await opener.GetAsync($"/api/cases/{id}"))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden); // the case moved to the assignee

        // A second physical threat: repeated violence within 30 days raises the case to critical, and triage re-opens.
        (await officer.PostAsJsonAsync($"/api/cases/{id}/threats", Cases.Threat(defender, "physical", daysAgo: 0)))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var escalation = JsonDocument.Parse(await escalations.WaitForMessageContainingAsync(id.ToString(),
            Triage.Propagation)).RootElement.GetProperty("message");
        escalation.GetProperty("caseReference").GetString().ShouldBe(reference);
        escalation.GetProperty("from").GetString().ShouldBe("High"); // enums travel by member name
        escalation.GetProperty("to").GetString().ShouldBe("Critical");
        escalation.GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ShouldContain("repeated-violence");
        defender.ShouldNotAppearIn(escalation.GetRawText());

        var escalated = await officer.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/triage");
        escalated.GetProperty("risk").GetProperty("level").GetString().ShouldBe("critical");
        escalated.GetProperty("risk").GetProperty("basis").GetString().ShouldBe("escalation");
        escalated.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        var due = escalated.GetProperty("triageDueAt").GetDateTimeOffset();
        due.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        escalated.GetProperty("riskHistory").EnumerateArray().Select(h => h.GetProperty("basis").GetString())
            .ShouldBe(["preliminary", "assessment", "escalation"]);
        await officer.WaitForAsync($"/api/cases/{id}", f => f.GetProperty("risk").GetString() == "critical",
            "intake to learn the escalation");
    }

    [Fact]
    public async Task Only_a_supervisor_overrides_the_level_with_a_reason_and_a_later_assessment_does_not_go_below_it()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender,
            Cases.Threat(defender, "intimidation", daysAgo: 60, perpetrator: "community"));
        var taken = await officer.WaitForTriageAsync(id);
        taken.GetProperty("risk").GetProperty("level").GetString().ShouldBe("low");
        taken.GetProperty("risk").GetProperty("reasons")[0].GetProperty("rule").GetString().ShouldBe("baseline");
        var lowDeadline = taken.GetProperty("triageDueAt").GetDateTimeOffset();

        (await officer.PostAsJsonAsync($"/api/cases/{id}/assessment/override",
            new { level = "high", reason = "Her colleague was attacked yesterday." }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await supervisor.PostAsJsonAsync($"/api/cases/{id}/assessment/override", new { level = "high" })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "reason");
        await supervisor.PostAsJsonAsync($"/api/cases/{id}/assessment/override",
            new { level = "severe", reason = "Her colleague was attacked yesterday." })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "level");

        var overridden = await supervisor.PostAsJsonAsync($"/api/cases/{id}/assessment/override",
            new { level = "high", reason = "Her colleague was attacked yesterday." }).OkJson();
        overridden.GetProperty("risk").GetProperty("level").GetString().ShouldBe("high");
        overridden.GetProperty("risk").GetProperty("basis").GetString().ShouldBe("override");
        overridden.GetProperty("riskHistory")[1].GetProperty("reason").GetString()
            .ShouldBe("Her colleague was attacked yesterday.");
        // Still awaiting assessment, now on the high deadline from intake (4 h instead of 72 h).
        (lowDeadline - overridden.GetProperty("triageDueAt").GetDateTimeOffset()).ShouldBe(TimeSpan.FromHours(72 - 4));

        var assessed = await officer.PostAsJsonAsync($"/api/cases/{id}/assessment",
            new JsonObject { ["scores"] = Triage.Scores(1, 0, 0, 1, 0) }).OkJson();
        assessed.GetProperty("assessment").GetProperty("computedLevel").GetString().ShouldBe("low");
        assessed.GetProperty("risk").GetProperty("level").GetString().ShouldBe("high");
        assessed.GetProperty("risk").GetProperty("reasons")[0].GetProperty("rule").GetString()
            .ShouldBe("supervisor-override");
        assessed.GetProperty("override").GetProperty("reason").GetString()
            .ShouldBe("Her colleague was attacked yesterday.");
    }

    [Fact]
    public async Task The_protection_plan_tracks_measures_and_shows_coverage_per_framework_area()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);
        await officer.WaitForTriageAsync(id);
        var dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)).ToString("yyyy-MM-dd");

        var legal = await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures",
            new { area = "legalAndPoliticalSafetyNet", type = "legal-accompaniment",
            owner = "partner:lawyers-collective", dueOn });
        legal.StatusCode.ShouldBe(HttpStatusCode.Created, await legal.Content.ReadAsStringAsync());
        var legalId = (await legal.Json()).GetProperty("measureId").GetGuid();
        var ground = await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures",
            new { area = "threatsOnTheGround", type = "safe-house", owner = "officer-x", dueOn });
        var groundId = (await ground.Json()).GetProperty("measureId").GetGuid();

        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures",
            new { area = "moon", type = "safe-house", owner = "o", dueOn })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "area");
        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures",
            new { area = "threatsOnTheGround", type = "Safe House!", owner = "o", dueOn })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "type");
        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures",
            new { area = "threatsOnTheGround", type = "safe-house", owner = "o", dueOn = "2020-01-01" })
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "dueOn");
        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures",
            new { area = "threatsOnTheGround", type = "safe-house", owner = "o", dueOn = "9999-12-31" })
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "dueOn");

        await officer.PostAsync($"/api/cases/{id}/plan/measures/{legalId}/complete", null).OkJson();
        await officer.PostAsync($"/api/cases/{id}/plan/measures/{legalId}/complete", null)
            .ShouldBeProblem(HttpStatusCode.Conflict);
        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures/{groundId}/cancel", new { })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "reason");
        await officer.PostAsync($"/api/cases/{id}/plan/measures/{Guid.NewGuid()}/complete", null)
            .ShouldBeProblem(HttpStatusCode.NotFound);
        var plan = await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures/{groundId}/cancel",
            new { reason = "The defender chose to stay with family." }).OkJson();

        plan.GetProperty("measures").GetArrayLength().ShouldBe(2);
        var coverage = plan.GetProperty("coverage").EnumerateArray()
            .ToDictionary(c => c.GetProperty("area").GetString()!);
        coverage.Count.ShouldBe(4);
        coverage["legalAndPoliticalSafetyNet"].GetProperty("completed").GetInt32().ShouldBe(1);
        coverage["legalAndPoliticalSafetyNet"].GetProperty("covered").GetBoolean().ShouldBeTrue();
        coverage["threatsOnTheGround"].GetProperty("cancelled").GetInt32().ShouldBe(1);
        coverage["threatsOnTheGround"].GetProperty("covered").GetBoolean().ShouldBeFalse();
        coverage["emergencyAssistanceAndRelocation"].GetProperty("covered").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_closed_case_leaves_the_queue_refuses_new_threats_and_comes_back_when_reopened()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);
        await officer.WaitForTriageAsync(id);

        await officer.PostAsJsonAsync($"/api/cases/{id}/close", new { outcome = "forgotten" })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "outcome");
        var closed = await officer.PostAsJsonAsync($"/api/cases/{id}/close", new { outcome = "riskReduced" }).OkJson();
        closed.GetProperty("status").GetString().ShouldBe("closed");
        await officer.PostAsJsonAsync($"/api/cases/{id}/close", new { outcome = "riskReduced" })
            .ShouldBeProblem(HttpStatusCode.Conflict);
        await officer.PostAsJsonAsync($"/api/cases/{id}/assessment",
            new JsonObject { ["scores"] = Triage.Scores(0, 0, 0, 0, 0) }).ShouldBeProblem(HttpStatusCode.Conflict);
        (await officer.GetFromJsonAsync<JsonElement>("/api/triage/queue")).Items()
            .ShouldNotContain(i => i.GetProperty("caseId").GetGuid() == id);

        await officer.WaitForAsync($"/api/cases/{id}", f => f.GetProperty("status").GetString() == "closed",
            "intake to learn the closure");
        await officer.PostAsJsonAsync($"/api/cases/{id}/threats", Cases.ThreatBody(defender))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "id");

        await officer.PostAsJsonAsync($"/api/cases/{id}/reopen", new { })
            .ShouldBeProblem(HttpStatusCode.BadRequest, "reason");
        var reopened = await officer.PostAsJsonAsync($"/api/cases/{id}/reopen",
            new { reason = "The defender was threatened again by phone." }).OkJson();
        reopened.GetProperty("status").GetString().ShouldBe("open");
        reopened.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        await officer.WaitForAsync($"/api/cases/{id}", f => f.GetProperty("status").GetString() == "open",
            "intake to learn the re-opening");
        (await officer.PostAsJsonAsync($"/api/cases/{id}/threats", Cases.ThreatBody(defender)))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_queue_puts_the_most_urgent_first_and_shows_officers_only_their_cases()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (low, _) = await officer.OpenAsync(defender,
            Cases.Threat(defender, "digital", daysAgo: 90, perpetrator: "unknown"));
        var (critical, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "detention", 3, "state"),
            Cases.Threat(defender, "physical", 1, "state"));
        var (high, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 1));
        Guid[] ours = [critical, high, low];

        var queue = await officer.WaitForAsync("/api/triage/queue?pageSize=200",
            q => ours.All(id => q.Items().Any(i => i.GetProperty("caseId").GetGuid() == id)), "all three cases queued");
        var items = queue.Items().ToArray();
        items.Length.ShouldBe(3); // an officer sees only their own cases
        items.Select(i => i.GetProperty("caseId").GetGuid()).ShouldBe(ours);
        items.Select(i => i.GetProperty("risk").GetString()).ShouldBe(["critical", "high", "low"]);

        var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        var all = await supervisor.GetFromJsonAsync<JsonElement>("/api/triage/queue?pageSize=200");
        all.GetProperty("total").GetInt64().ShouldBeGreaterThanOrEqualTo(3);
        await supervisor.GetAsync("/api/triage/queue?risk=extreme")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "risk");
        var criticalOnly =
            await supervisor.GetFromJsonAsync<JsonElement>("/api/triage/queue?risk=critical&pageSize=200");
        criticalOnly.Items().ShouldAllBe(i => i.GetProperty("risk").GetString() == "critical");

        var listed = await officer.WaitForAsync("/api/cases?risk=critical", l => l.Items().Any(),
            "intake to learn the risk levels");
        listed.Items().Select(i => i.GetProperty("id").GetGuid()).ShouldBe([critical]);
    }
}
