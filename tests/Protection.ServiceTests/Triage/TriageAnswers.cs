using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Contracts.Relocation;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Triage;

/// <summary>What each endpoint of triage answers when it may: status, ETag, and the state it leaves.</summary>
[Collection(TriageCollection.Name)]
public sealed class TriageAnswers(TriageHost triage)
{
    [Fact]
    public async Task A_case_taken_in_reads_200_with_its_version_as_ETag_a_preliminary_risk_and_a_deadline()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);

        using var response = await triage.As(officer, "officer").SendAsync("GET", $"/api/cases/{id}/triage");
        var view = await response.ShouldBe(HttpStatusCode.OK);
        response.ETagVersion().ShouldBe(view.GetProperty("version").GetInt64());
        view.GetProperty("risk").Text("level").ShouldBe("high");
        view.GetProperty("risk").Text("basis").ShouldBe("preliminary");
        view.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        view.Text("responsibleOfficer").ShouldBe(officer);
        (view.GetProperty("triageDueAt").GetDateTimeOffset() - DateTimeOffset.UtcNow)
            .ShouldBeLessThan(TimeSpan.FromHours(4));
    }

    [Fact]
    public async Task An_assessment_answers_200_with_the_next_version_and_the_level_the_rules_give()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        var client = triage.As(officer, "officer");
        var version = await VersionAsync(client, id);

        var body = new JsonObject { ["scores"] = TriageBodies.Scores(0, 3, 0, 0, 0) }.ToJsonString();
        using var response = await client.SendAsync("POST", $"/api/cases/{id}/assessment", body,
            ifMatch: $"\"{version}\"");
        var assessed = await response.ShouldBe(HttpStatusCode.OK);
        response.ETagVersion().ShouldBe(assessed.GetProperty("version").GetInt64());
        assessed.GetProperty("version").GetInt64().ShouldBeGreaterThan(version);
        assessed.GetProperty("risk").Text("level").ShouldBe("critical");
        assessed.GetProperty("risk").Text("basis").ShouldBe("assessment");
        assessed.GetProperty("risk").GetProperty("reasons")[0].Text("rule").ShouldBe("physical-extreme");
        assessed.GetProperty("awaitingTriage").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_supervisors_override_answers_200_with_the_level_set_by_hand()
    {
        var id = await triage.CaseOfAsync($"officer-{Guid.NewGuid():N}");

        using var response = await triage.As("supervisor-1", "supervisor")
            .SendAsync("POST", $"/api/cases/{id}/assessment/override", TriageBodies.Override("low").ToJsonString());
        var overridden = await response.ShouldBe(HttpStatusCode.OK);
        response.ETagVersion().ShouldBe(overridden.GetProperty("version").GetInt64());
        overridden.GetProperty("risk").Text("level").ShouldBe("low");
        overridden.GetProperty("risk").Text("basis").ShouldBe("override");
        overridden.GetProperty("override").Text("reason").ShouldBe("Seen near her home again by the same men.");
    }

    [Fact]
    public async Task An_assignment_answers_200_and_the_case_is_the_new_officers_alone_then_409_when_repeated()
    {
        var opener = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(opener);
        var supervisor = triage.As("supervisor-1", "supervisor");

        using var response = await supervisor.SendAsync("POST", $"/api/cases/{id}/assignment",
            """{"officer":"officer-b"}""");
        var assigned = await response.ShouldBe(HttpStatusCode.OK);
        response.ETagVersion().ShouldBe(assigned.GetProperty("version").GetInt64());
        assigned.Text("assignedTo").ShouldBe("officer-b");

        await triage.As("officer-b", "officer").SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);
        await triage.As(opener, "officer").SendAsync("GET", $"/api/cases/{id}/triage")
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await supervisor.SendAsync("POST", $"/api/cases/{id}/assignment", """{"officer":"officer-b"}""")
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Measures_are_added_201_completed_and_cancelled_200_and_a_finished_one_is_409()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        var client = triage.As(officer, "officer");

        using var added = await client.SendAsync("POST", $"/api/cases/{id}/plan/measures", TriageBodies.Measure()
            .ToJsonString());
        var first = await added.ShouldBe(HttpStatusCode.Created);
        added.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}/triage");
        added.ETagVersion().ShouldBe(first.GetProperty("case").GetProperty("version").GetInt64());
        var measure = first.GetProperty("measureId").GetGuid();
        var second = (await client.SendAsync("POST", $"/api/cases/{id}/plan/measures",
                TriageBodies.Measure("legalAndPoliticalSafetyNet").ToJsonString()).ShouldBe(HttpStatusCode.Created))
            .GetProperty("measureId").GetGuid();

        using var completed = await client.SendAsync("POST", $"/api/cases/{id}/plan/measures/{measure}/complete");
        var afterComplete = await completed.ShouldBe(HttpStatusCode.OK);
        completed.ETagVersion().ShouldBe(afterComplete.GetProperty("version").GetInt64());
        var cancelled = await client.SendAsync("POST", $"/api/cases/{id}/plan/measures/{second}/cancel",
            TriageBodies.Reason("The partner closed its office.").ToJsonString()).ShouldBe(HttpStatusCode.OK);
        var statuses = cancelled.GetProperty("measures").EnumerateArray().ToDictionary(m => m.GetProperty("id")
            .GetGuid(), m => m.Text("status"));
        statuses[measure].ShouldBe("completed");
        statuses[second].ShouldBe("cancelled");

        await client.SendAsync("POST", $"/api/cases/{id}/plan/measures/{measure}/complete")
            .ShouldBeProblem(HttpStatusCode.Conflict);
        await client.SendAsync("POST", $"/api/cases/{id}/plan/measures/{second}/cancel", TriageBodies.Reason()
            .ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Closing_answers_200_then_the_closed_case_refuses_changes_409_until_reopening_answers_200()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        var client = triage.As(officer, "officer");

        using var closing = await client.SendAsync("POST", $"/api/cases/{id}/close", TriageBodies.Close()
            .ToJsonString());
        var closed = await closing.ShouldBe(HttpStatusCode.OK);
        closing.ETagVersion().ShouldBe(closed.GetProperty("version").GetInt64());
        closed.Text("status").ShouldBe("closed");
        closed.Text("outcome").ShouldBe("riskReduced");

        await client.SendAsync("POST", $"/api/cases/{id}/assessment", TriageBodies.Assessment().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Conflict);
        await client.SendAsync("POST", $"/api/cases/{id}/close", TriageBodies.Close().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Conflict);

        var reopened = await client.SendAsync("POST", $"/api/cases/{id}/reopen",
            TriageBodies.Reason("Threatened again by phone.").ToJsonString()).ShouldBe(HttpStatusCode.OK);
        reopened.Text("status").ShouldBe("open");
        reopened.GetProperty("awaitingTriage").GetBoolean().ShouldBeTrue();
        await client.SendAsync("POST", $"/api/cases/{id}/reopen", TriageBodies.Reason().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_queue_answers_200_with_an_officers_own_open_cases_and_every_case_for_a_supervisor()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var mine = await triage.CaseOfAsync(officer);
        var theirs = await triage.CaseOfAsync($"officer-{Guid.NewGuid():N}");

        var own = await triage.As(officer, "officer").SendAsync("GET", "/api/triage/queue").ShouldBe(HttpStatusCode.OK);
        own.Items().Select(i => i.GetProperty("caseId").GetGuid()).ShouldBe([mine]);

        var all = await triage.As("supervisor-1", "supervisor").SendAsync("GET", "/api/triage/queue?pageSize=200")
            .ShouldBe(HttpStatusCode.OK);
        all.Items().Select(i => i.GetProperty("caseId").GetGuid()).ShouldContain(mine);
        all.Items().Select(i => i.GetProperty("caseId").GetGuid()).ShouldContain(theirs);
    }

    [Fact]
    public async Task An_auditor_reads_triage_without_the_officers_notes_and_changes_nothing()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        await triage.As(officer, "officer").SendAsync("POST", $"/api/cases/{id}/assessment", new JsonObject
        {
            ["scores"] = TriageBodies.Scores(1, 1, 1, 1, 1),
            ["notes"] = new JsonObject { ["economic"] = "Lost her job after the radio interview" },
        }.ToJsonString()).ShouldBe(HttpStatusCode.OK);

        var auditor = triage.As("auditor-1", "auditor");
        var view = await auditor.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);
        view.GetProperty("assessment").GetProperty("scores").GetProperty("economic").GetInt32().ShouldBe(1);
        view.GetProperty("assessment").GetProperty("notes").ValueKind.ShouldBe(JsonValueKind.Null);
        (await auditor.SendAsync("POST", $"/api/cases/{id}/assessment", TriageBodies.Assessment().ToJsonString()))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.SendAsync("POST", $"/api/cases/{id}/close", TriageBodies.Close("other").ToJsonString()))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var after = await auditor.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);
        after.GetProperty("version").GetInt64().ShouldBe(view.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_missed_check_in_delivered_again_under_another_message_id_raises_one_alert()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        var relocation = Guid.CreateVersion7();
        var due = DateTimeOffset.UtcNow.AddDays(-1);

        // A second watch pass (another replica, a restart) would publish the same deadline again.
        await triage.DeliverAsync(new CheckInMissed(id, Facts.Reference(id), relocation, due, 5,
            Facts.By("system:watch", "system")));
        await triage.DeliverAsync(new CheckInMissed(id, Facts.Reference(id), relocation, due, 5,
            Facts.By("system:watch", "system")));

        var view = await triage.As(officer, "officer").SendAsync("GET", $"/api/cases/{id}/triage")
            .ShouldBe(HttpStatusCode.OK);
        var alert = view.GetProperty("relocationAlerts").EnumerateArray().ShouldHaveSingleItem();
        alert.Text("alert").ShouldBe("checkInMissed");
        alert.GetProperty("checkInDueAt").GetDateTimeOffset().ShouldBe(due);
    }

    [Fact]
    public async Task The_audit_endpoints_answer_the_history_an_intact_chain_and_the_access_log()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        await triage.As(officer, "officer").SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);
        await Audit.ShouldShowAsync(triage.As("auditor-1", "auditor"), id, "CaseTakenIn", "\"triage\"");
    }

    private static async Task<long> VersionAsync(HttpClient client, Guid id) =>
        (await client.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK)).GetProperty("version")
            .GetInt64();
}
