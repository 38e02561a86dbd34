using System.Net;
using System.Text.Json;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Assistance;

/// <summary>
/// What each endpoint of emergency assistance answers when it may: status, ETag, and the money it moves.
/// </summary>
[Collection(AssistanceCollection.Name)]
public sealed class AssistanceAnswers(AssistanceHost assistance)
{
    private HttpClient Funder => assistance.As(AssistanceHost.Funder, "funder");

    [Fact]
    public async Task A_fund_is_created_201_read_200_listed_and_topped_up_200_with_its_version_as_ETag()
    {
        using var created = await Funder.SendAsync(
            "POST", "/api/funds", """{"name":"Legal defence fund","currency":"EUR","openingBalance":1000}""");
        var fund = await created.ShouldBe(HttpStatusCode.Created);
        var id = fund.GetProperty("id").GetGuid();
        created.Headers.Location!.ToString().ShouldBe($"/api/funds/{id}");
        created.ETagVersion().ShouldBe(1);

        using var read = await Funder.SendAsync("GET", $"/api/funds/{id}");
        (await read.ShouldBe(HttpStatusCode.OK)).GetProperty("available").GetDecimal().ShouldBe(1_000m);
        read.ETagVersion().ShouldBe(1);
        var list = await Funder.SendAsync("GET", "/api/funds").ShouldBe(HttpStatusCode.OK);
        list.EnumerateArray().Select(f => f.GetProperty("id").GetGuid()).ShouldContain(id);

        using var toppedUp = await Funder.SendAsync("POST", $"/api/funds/{id}/top-ups", """{"amount":250.50}""");
        var after = await toppedUp.ShouldBe(HttpStatusCode.OK);
        toppedUp.ETagVersion().ShouldBe(2);
        after.GetProperty("balance").GetDecimal().ShouldBe(1_250.50m);
        after.GetProperty("totalIn").GetDecimal().ShouldBe(1_250.50m);
    }

    [Fact]
    public async Task A_grant_is_requested_201_and_read_200_by_its_officer_its_case_and_the_funders()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = assistance.As(officerId, "officer");
        var caseId = await assistance.CaseOfAsync(officerId);

        using var requested = await officer.SendAsync("POST", $"/api/cases/{caseId}/grants",
            AssistanceBodies.Grant(assistance.FundId, 700m, "medicalAndPsychosocial").ToJsonString());
        var grant = await requested.ShouldBe(HttpStatusCode.Created);
        var id = grant.GetProperty("id").GetGuid();
        requested.Headers.Location!.ToString().ShouldBe($"/api/grants/{id}");
        requested.ETagVersion().ShouldBe(1);
        grant.Text("status").ShouldBe("pending");
        grant.Text("caseReference").ShouldBe(Facts.Reference(caseId));
        grant.GetProperty("approvalsNeeded").GetInt32().ShouldBe(1);
        (grant.GetProperty("decisionDueAt").GetDateTimeOffset() - grant.GetProperty("requestedAt").GetDateTimeOffset())
            .ShouldBe(TimeSpan.FromDays(3));

        using var read = await Funder.SendAsync("GET", $"/api/grants/{id}");
        (await read.ShouldBe(HttpStatusCode.OK)).Text("purpose")
            .ShouldBe("Reinforced door and a panic button for the family home.");
        read.ETagVersion().ShouldBe(1);
        var ofCase = await officer.SendAsync("GET", $"/api/cases/{caseId}/grants").ShouldBe(HttpStatusCode.OK);
        ofCase.EnumerateArray().Select(g => g.GetProperty("id").GetGuid()).ShouldBe([id]);
        var own = await officer.SendAsync("GET", "/api/grants").ShouldBe(HttpStatusCode.OK);
        own.Items().Select(g => g.GetProperty("id").GetGuid()).ShouldBe([id]);
    }

    [Fact]
    public async Task A_grant_is_approved_paid_and_reported_200_each_with_the_next_version_and_the_fund_follows()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = assistance.As(officerId, "officer");
        var caseId = await assistance.CaseOfAsync(officerId);
        var fundId = await assistance.FundAsync(5_000m);
        var grantId = await AssistanceHost.GrantAsync(officer, caseId, fundId, 1_000m);

        using var approving = await Funder.SendAsync("POST", $"/api/grants/{grantId}/decisions",
            """{"decision":"approve"}""");
        var approved = await approving.ShouldBe(HttpStatusCode.OK);
        approving.ETagVersion().ShouldBe(2);
        approved.Text("status").ShouldBe("approved");
        await ShouldHaveFund(fundId, balance: 5_000m, reserved: 1_000m, disbursed: 0m, available: 4_000m);
        await Funder.SendAsync("POST", $"/api/grants/{grantId}/decisions", """{"decision":"approve"}""")
            .ShouldBeProblem(HttpStatusCode.Conflict);

        await Funder.SendAsync("POST", $"/api/grants/{grantId}/disbursements", """{"amount":1000.01}""")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "amount");
        using var paying = await Funder.SendAsync("POST", $"/api/grants/{grantId}/disbursements",
            """{"amount":1000}""");
        var paid = await paying.ShouldBe(HttpStatusCode.OK);
        paying.ETagVersion().ShouldBe(3);
        paid.Text("status").ShouldBe("disbursed");
        await ShouldHaveFund(fundId, balance: 4_000m, reserved: 0m, disbursed: 1_000m, available: 4_000m);
        (await ListedAsync("?report=due")).ShouldContain(grantId); // paid in full: its report is due
        (await ListedAsync("?report=overdue")).ShouldNotContain(grantId); // due in 90 days

        await officer.SendAsync("POST", $"/api/grants/{grantId}/reports",
            """{"spent":1000.01,"summary":"Bought a door."}""")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "spent");
        using var reporting = await officer.SendAsync(
            "POST", $"/api/grants/{grantId}/reports",
                """{"spent":950,"summary":"Door, cameras and a secure phone."}""");
        (await reporting.ShouldBe(HttpStatusCode.OK)).Text("status").ShouldBe("reported");
        reporting.ETagVersion().ShouldBe(4);
        (await ListedAsync("?report=due")).ShouldNotContain(grantId);
        await officer.SendAsync("POST", $"/api/grants/{grantId}/withdrawal", """{"reason":"Too late now."}""")
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_grant_rejected_with_a_reason_answers_200_and_the_fund_is_untouched()
    {
        var fundId = await assistance.FundAsync(50_000m);
        var grantId = await AssistanceHost.GrantAsync(
            assistance.As(AssistanceHost.Officer, "officer"), assistance.CaseId, fundId, 500m);

        using var rejecting = await Funder.SendAsync(
            "POST", $"/api/grants/{grantId}/decisions",
                """{"decision":"reject","reason":"Covered by the national mechanism."}""");
        var rejected = await rejecting.ShouldBe(HttpStatusCode.OK);
        rejecting.ETagVersion().ShouldBe(2);
        rejected.Text("status").ShouldBe("rejected");
        rejected.GetProperty("rejection").Text("reason").ShouldBe("Covered by the national mechanism.");
        await ShouldHaveFund(fundId, balance: 50_000m, reserved: 0m, disbursed: 0m, available: 50_000m);
    }

    [Fact]
    public async Task Withdrawing_an_approved_grant_gives_its_reservation_back_and_a_second_withdrawal_is_409()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = assistance.As(officerId, "officer");
        var caseId = await assistance.CaseOfAsync(officerId);
        var fundId = await assistance.FundAsync(5_000m);
        var grantId = await AssistanceHost.GrantAsync(officer, caseId, fundId, 2_000m, "secureTransport");
        await Funder.SendAsync("POST", $"/api/grants/{grantId}/decisions", """{"decision":"approve","amount":1500}""")
            .ShouldBe(HttpStatusCode.OK);
        await ShouldHaveFund(fundId, balance: 5_000m, reserved: 1_500m, disbursed: 0m, available: 3_500m);

        using var withdrawing = await officer.SendAsync(
            "POST", $"/api/grants/{grantId}/withdrawal",
                """{"reason":"The defender found a safe ride with a partner."}""");
        (await withdrawing.ShouldBe(HttpStatusCode.OK)).Text("status").ShouldBe("withdrawn");
        withdrawing.ETagVersion().ShouldBe(3);
        await ShouldHaveFund(fundId, balance: 5_000m, reserved: 0m, disbursed: 0m, available: 5_000m);
        await officer.SendAsync("POST", $"/api/grants/{grantId}/withdrawal", """{"reason":"again"}""")
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_case_closed_in_triage_gets_no_new_grant_409_until_it_is_reopened()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = assistance.As(officerId, "officer");
        var caseId = await assistance.CaseOfAsync(officerId);
        var request = AssistanceBodies.Grant(assistance.FundId, 100m).ToJsonString();

        await assistance.DeliverAsync(Facts.CaseClosed(caseId, triageVersion: 3));
        await officer.SendAsync("POST", $"/api/cases/{caseId}/grants", request)
            .ShouldBeProblem(HttpStatusCode.Conflict);
        (await officer.SendAsync("GET", $"/api/cases/{caseId}/grants").ShouldBe(HttpStatusCode.OK)).GetArrayLength()
            .ShouldBe(0);

        await assistance.DeliverAsync(Facts.CaseReopened(caseId, triageVersion: 4));
        await officer.SendAsync("POST", $"/api/cases/{caseId}/grants", request).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_audit_endpoints_answer_the_history_an_intact_chain_and_the_access_log()
    {
        await assistance.As(AssistanceHost.Officer, "officer").SendAsync("GET",
            assistance.Path("/api/cases/{case}/grants"))
            .ShouldBe(HttpStatusCode.OK);

        await Audit.ShouldShowAsync(assistance.As("auditor-1", "auditor"), assistance.CaseId, "GrantRequested",
            "\"grants\"");
    }

    private async Task ShouldHaveFund(Guid fundId, decimal balance, decimal reserved, decimal disbursed,
        decimal available)
    {
        var fund = await Funder.SendAsync("GET", $"/api/funds/{fundId}").ShouldBe(HttpStatusCode.OK);
        fund.GetProperty("balance").GetDecimal().ShouldBe(balance);
        fund.GetProperty("reserved").GetDecimal().ShouldBe(reserved);
        fund.GetProperty("disbursed").GetDecimal().ShouldBe(disbursed);
        fund.GetProperty("available").GetDecimal().ShouldBe(available);
    }

    /// <summary>The ids the seeded funder's grant list holds with <paramref name="query"/>, every page.</summary>
    private async Task<List<Guid>> ListedAsync(string query)
    {
        var ids = new List<Guid>();
        for (var page = 1; ; page++)
        {
            var list = await Funder.SendAsync("GET", $"/api/grants{query}&pageSize=200&page={page}")
                .ShouldBe(HttpStatusCode.OK);
            var items = list.Items().Select(g => g.GetProperty("id").GetGuid()).ToList();
            ids.AddRange(items);
            if (items.Count < 200)
            {
                return ids;
            }
        }
    }
}
