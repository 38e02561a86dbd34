using System.Net;
using System.Text.Json;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Relocation;

/// <summary>What each endpoint of relocation answers when it may: status, ETag, state and allowed next steps.</summary>
[Collection(RelocationCollection.Name)]
public sealed class RelocationAnswers(RelocationHost relocation)
{
    private static readonly TimeSpan CheckInEvery = TimeSpan.FromDays(7);

    private static DateOnly Today => RelocationBodies.Today;

    [Fact]
    public async Task A_relocation_is_requested_201_and_read_200_with_its_version_as_ETag_and_the_steps_allowed()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var caseId = await relocation.CaseOfAsync(officerId);

        using var requesting = await officer.SendAsync(
            "POST", $"/api/cases/{caseId}/relocations", RelocationBodies.Request("international").ToJsonString());
        var requested = await requesting.ShouldBe(HttpStatusCode.Created);
        var id = requested.GetProperty("id").GetGuid();
        requesting.Headers.Location!.ToString().ShouldBe($"/api/relocations/{id}");
        requesting.ETagVersion().ShouldBe(requested.GetProperty("version").GetInt64());
        requested.Text("state").ShouldBe("requested");
        requested.GetProperty("people").GetProperty("total").GetInt32().ShouldBe(3);
        requested.GetProperty("wasRecommended").GetBoolean().ShouldBeFalse();
        Steps(requested).ShouldBe(["plan", "close"]);

        using var reading = await officer.SendAsync("GET", $"/api/relocations/{id}");
        (await reading.ShouldBe(HttpStatusCode.OK)).GetProperty("id").GetGuid().ShouldBe(id);
        reading.ETagVersion().ShouldBe(requested.GetProperty("version").GetInt64());
        var ofCase = await officer.SendAsync("GET", $"/api/cases/{caseId}/relocations").ShouldBe(HttpStatusCode.OK);
        ofCase.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldBe([id]);
        ofCase.GetProperty("recommendation").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_international_plan_names_its_missing_visa_plan_and_return_strategy_then_plans_200()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var id = await RelocationHost.RequestAsync(officer, await relocation.CaseOfAsync(officerId), "international");
        var incomplete = RelocationBodies.Plan("KE");
        incomplete.Remove("visaPlan");
        incomplete.Remove("returnStrategy");

        var problem = await officer.SendAsync("POST", $"/api/relocations/{id}/plan", incomplete.ToJsonString())
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "visaPlan");
        problem.GetProperty("errors").TryGetProperty("returnStrategy", out _).ShouldBeTrue(problem.GetRawText());

        using var planning = await officer.SendAsync("POST", $"/api/relocations/{id}/plan", RelocationBodies.Plan("KE")
            .ToJsonString());
        var planned = await planning.ShouldBe(HttpStatusCode.OK);
        planning.ETagVersion().ShouldBe(planned.GetProperty("version").GetInt64());
        planned.Text("state").ShouldBe("planned");
        planned.GetProperty("plan").GetProperty("destination").Text("city").ShouldBe("Nairobi");
        planned.GetProperty("plan").Text("endOn").ShouldBe(Today.AddMonths(3).ToString("yyyy-MM-dd"));
        Steps(planned).ShouldBe(["plan", "close"]);
    }

    [Fact]
    public async Task A_funded_relocation_departs_arrives_checks_in_and_is_closed_once_the_defender_is_home()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var (_, id) = await relocation.FundedAsync(officer, officerId, "regional");
        var path = $"/api/relocations/{id}";
        var funded = await officer.SendAsync("GET", path).ShouldBe(HttpStatusCode.OK);
        funded.Text("state").ShouldBe("funded");
        Steps(funded).ShouldBe(["plan", "depart", "close"]);

        using var departing = await officer.SendAsync("POST", $"{path}/depart");
        var departed = await departing.ShouldBe(HttpStatusCode.OK);
        departing.ETagVersion().ShouldBe(departed.GetProperty("version").GetInt64());
        departed.Text("state").ShouldBe("inTransit");
        (departed.GetProperty("nextCheckInDueAt").GetDateTimeOffset() - departed.GetProperty("departedAt")
            .GetDateTimeOffset())
            .ShouldBe(CheckInEvery);
        var arrived = await officer.SendAsync("POST", $"{path}/arrive").ShouldBe(HttpStatusCode.OK);
        arrived.Text("state").ShouldBe("arrived");
        Steps(arrived).ShouldBe(["check-in", "extend", "return", "resettle"]);

        using var checkingIn = await officer.SendAsync("POST", $"{path}/check-ins",
            """{"status":"safe","note":"Phone works."}""");
        var checkedIn = await checkingIn.ShouldBe(HttpStatusCode.OK);
        checkingIn.ETagVersion().ShouldBe(checkedIn.GetProperty("version").GetInt64());
        var checkIn = checkedIn.GetProperty("checkIns").EnumerateArray().ShouldHaveSingleItem();
        (checkedIn.GetProperty("nextCheckInDueAt").GetDateTimeOffset() - checkIn.GetProperty("at").GetDateTimeOffset())
            .ShouldBe(CheckInEvery);

        var returned = await officer.SendAsync("POST", $"{path}/return").ShouldBe(HttpStatusCode.OK);
        returned.Text("state").ShouldBe("returned");
        returned.GetProperty("nextCheckInDueAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var closed = await officer.SendAsync("POST", $"{path}/close", "{}").ShouldBe(HttpStatusCode.OK);
        closed.Text("state").ShouldBe("closed");
        closed.Text("outcome").ShouldBe("returned");
        Steps(closed).ShouldBeEmpty();
        closed.GetProperty("transitions").EnumerateArray().Select(t => t.Text("step"))
            .ShouldBe(["request", "plan", "fund", "depart", "arrive", "return", "close"]);
    }

    [Fact]
    public async Task The_stay_is_extended_at_most_12_months_in_all_with_a_reason_and_ends_in_resettlement()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var (_, id) = await relocation.FundedAsync(officer, officerId, "inCountrySafeHouse");
        var path = $"/api/relocations/{id}";
        await officer.SendAsync("POST", $"{path}/depart").ShouldBe(HttpStatusCode.OK);
        await officer.SendAsync("POST", $"{path}/arrive").ShouldBe(HttpStatusCode.OK);

        await officer.SendAsync("POST", $"{path}/extend", RelocationBodies.Extend(Today.AddMonths(13)).ToJsonString())
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "endOn");
        await officer.SendAsync("POST", $"{path}/extend", RelocationBodies.Extend(Today.AddMonths(6), reason: null)
            .ToJsonString())
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "reason");
        using var extending = await officer.SendAsync(
            "POST", $"{path}/extend", RelocationBodies.Extend(Today.AddMonths(6)).ToJsonString());
        var extended = await extending.ShouldBe(HttpStatusCode.OK);
        extending.ETagVersion().ShouldBe(extended.GetProperty("version").GetInt64());
        extended.GetProperty("plan").Text("endOn").ShouldBe(Today.AddMonths(6).ToString("yyyy-MM-dd"));
        var extension = extended.GetProperty("extensions").EnumerateArray().ShouldHaveSingleItem();
        extension.Text("reason").ShouldBe("Still unsafe at home.");
        extension.Text("from").ShouldBe(Today.AddMonths(3).ToString("yyyy-MM-dd"));

        (await officer.SendAsync("POST", $"{path}/resettle").ShouldBe(HttpStatusCode.OK)).Text("state")
            .ShouldBe("resettled");
        var closed = await officer.SendAsync("POST", $"{path}/close", "{}").ShouldBe(HttpStatusCode.OK);
        closed.Text("outcome").ShouldBe("resettled");
    }

    [Fact]
    public async Task Closing_before_the_move_cancels_it_with_its_reason_and_then_no_step_is_allowed()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var (_, id) = await relocation.FundedAsync(officer, officerId, "regional");

        var cancelled = await officer.SendAsync(
            "POST", $"/api/relocations/{id}/close", """{"reason":"The defender chose to stay with relatives."}""")
            .ShouldBe(HttpStatusCode.OK);
        cancelled.Text("outcome").ShouldBe("cancelled");
        cancelled.Text("closingReason").ShouldBe("The defender chose to stay with relatives.");
        var refused = await officer.SendAsync("POST", $"/api/relocations/{id}/depart")
            .ShouldBeProblem(HttpStatusCode.Conflict);
        refused.GetProperty("allowed").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Money_paid_before_any_request_waits_on_the_case_and_funds_the_next_plan_at_once()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var caseId = await relocation.CaseOfAsync(officerId);
        var grantId = await relocation.PayRelocationGrantAsync(caseId);

        var waiting = await officer.SendAsync("GET", $"/api/cases/{caseId}/relocations").ShouldBe(HttpStatusCode.OK);
        waiting.GetProperty("waitingFunding")[0].GetProperty("grantId").GetGuid().ShouldBe(grantId);
        var body = RelocationBodies.Request("regional");
        body["checkInEveryDays"] = 3;
        var requested = await officer.SendAsync("POST", $"/api/cases/{caseId}/relocations", body.ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        requested.GetProperty("checkInEveryDays").GetInt32().ShouldBe(3);
        requested.GetProperty("funding")[0].GetProperty("grantId").GetGuid().ShouldBe(grantId);

        var planned = await officer.SendAsync("POST", $"/api/relocations/{requested.GetProperty("id").GetGuid()}/plan",
            RelocationBodies.Plan("EC").ToJsonString()).ShouldBe(HttpStatusCode.OK);
        planned.Text("state").ShouldBe("funded");
        planned.GetProperty("fundedBy").GetGuid().ShouldBe(grantId);
    }

    [Fact]
    public async Task The_audit_endpoints_answer_the_history_an_intact_chain_and_the_access_log()
    {
        await relocation.As(RelocationHost.Officer, "officer").SendAsync("GET",
            relocation.Path("/api/relocations/{relocation}"))
            .ShouldBe(HttpStatusCode.OK);

        await Audit.ShouldShowAsync(relocation.As("auditor-1", "auditor"), relocation.CaseId, "RelocationRequested",
            "\"relocation\"");
    }

    private static IReadOnlyList<string?> Steps(JsonElement relocation) =>
        relocation.GetProperty("allowedSteps").EnumerateArray().Select(s => s.GetString()).ToArray();
}
