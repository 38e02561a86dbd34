using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// Emergency assistance through the gateway: funds, requests, four-eyes decisions, tranches, reports, no overspend.
/// (Each answer and refusal of its endpoints alone is in the service tests: Protection.ServiceTests, Assistance.)
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AssistanceTests(ProtectionSystem system, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_7000_grant_needs_two_funders_is_paid_in_two_tranches_and_accounted_for()
    {
        // The opener is also a funder: the rule "nobody decides on a grant they requested" must hold in the service,
        // not only at the gateway.
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = await system.SignedInAs(officerId, "officer", "funder");
        var defender = Cases.Defender.Unique();
        var (caseId, reference) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 1));
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");

        var first = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var second = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var fundId = await first.CreateFundAsync(20_000m);

        var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants",
            Funds.GrantBody(fundId, 7_000m, "physicalSecurity"));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var grant = await requested.Json();
        var grantId = grant.GetProperty("id").GetGuid();
        grant.GetProperty("status").GetString().ShouldBe("pending");
        grant.GetProperty("approvalsNeeded").GetInt32().ShouldBe(2);
        var window = grant.GetProperty("decisionDueAt").GetDateTimeOffset() - grant.GetProperty("requestedAt")
            .GetDateTimeOffset();
        window.ShouldBeOneOf(TimeSpan.FromHours(72),
            TimeSpan.FromHours(24)); // 24 h once triage's risk for the case is critical

        var afterFirst = await first.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" })
            .OkJson();
        afterFirst.GetProperty("status").GetString().ShouldBe("pending");
        afterFirst.GetProperty("approvals").GetArrayLength().ShouldBe(1);
        await first.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" })
            .ShouldBeProblem(HttpStatusCode.Conflict);
        await officer.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" })
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await (await first.GetAsync($"/api/funds/{fundId}")).Json()).GetProperty("reserved").GetDecimal().ShouldBe(0m);

        var approved = await second.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" })
            .OkJson();
        approved.GetProperty("status").GetString().ShouldBe("approved");
        approved.GetProperty("approvedAmount").GetDecimal().ShouldBe(7_000m);
        await first.ShouldHaveFund(fundId, balance: 20_000m, reserved: 7_000m, disbursed: 0m, available: 13_000m);
        await officer.WaitForAsync($"/api/cases/{caseId}",
            f => f.GetProperty("stage").GetString() == "emergencyAssistance", "the case to be in emergency assistance");

        // The funder sees the case by reference, country, risk and threat types; never who or where.
        var seenByFunder = await second.GetAsync($"/api/grants/{grantId}");
        var funderView = await seenByFunder.Content.ReadAsStringAsync();
        seenByFunder.StatusCode.ShouldBe(HttpStatusCode.OK);
        funderView.ShouldContain(reference);
        funderView.ShouldContain("\"country\":\"CO\"");
        funderView.ShouldContain("physical");
        defender.ShouldNotAppearIn(funderView);
        (await second.GetAsync($"/api/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await first.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 7_000m })
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "amount");
        (await first.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 4_000m }).OkJson())
            .GetProperty("status").GetString().ShouldBe("partlyDisbursed");
        await first.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 3_000.01m })
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "amount");
        var paid = await second.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 3_000m })
            .OkJson();
        paid.GetProperty("status").GetString().ShouldBe("disbursed");
        paid.GetProperty("tranches").GetArrayLength().ShouldBe(2);
        (paid.GetProperty("reportDueAt").GetDateTimeOffset() - paid.GetProperty("tranches")[1].GetProperty("at")
            .GetDateTimeOffset()).ShouldBe(TimeSpan.FromDays(90));
        await first.ShouldHaveFund(fundId, balance: 13_000m, reserved: 0m, disbursed: 7_000m, available: 13_000m);

        var reported = await officer.PostAsJsonAsync($"/api/grants/{grantId}/reports",
            new { spent = 6_950m, summary = "Door, cameras and a secure phone bought and installed." }).OkJson();
        reported.GetProperty("status").GetString().ShouldBe("reported");
        await officer.WaitForAsync($"/api/cases/{caseId}", f => f.GetProperty("stage").GetString() == "triage",
            "the case to leave emergency assistance");
    }

    [Fact]
    public async Task A_case_closed_in_triage_gets_no_new_grant()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var (caseId, _) = await officer.OpenAsync(Cases.Defender.Unique());
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var fundId = await funder.CreateFundAsync(5_000m);

        await officer.WaitForTriageAsync(caseId);
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/close", new { outcome = "riskReduced" }).OkJson();
        await Protection.Testing.Eventually.Get(async () =>
            (await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants", Funds.GrantBody(fundId, 100m, "legal")))
                .StatusCode == HttpStatusCode.Conflict ? "refused" : null,
            Triage.Propagation, "assistance to refuse grants on the closed case");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Fifty_funders_approving_at_once_never_overspend_a_fund_that_covers_ten(int round)
    {
        var officer = await system.SignedInAs($"officer-{round}-{Guid.NewGuid():N}", "officer");
        var (caseId, _) = await officer.OpenAsync(Cases.Defender.Unique());
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var owner = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var fundId = await owner.CreateFundAsync(10_000m);

        var grants = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            var response = await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants",
                Funds.GrantBody(fundId, 1_000m, "communications"));
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            grants.Add((await response.Json()).GetProperty("id").GetGuid());
        }

        var funders = await Task.WhenAll(grants.Select((_, i) =>
            system.SignedInAs($"funder-{round}-{i}-{Guid.NewGuid():N}", "funder")));
        var burst = System.Diagnostics.Stopwatch.StartNew();
        var decisions = await Task.WhenAll(grants.Select((grantId, i) =>
            funders[i].PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" })));
        burst.Stop();

        // Every answer is one of the right ones: 10 approvals, then "the fund has 0.00 available" for the other 40.
        var answers = await Answers(decisions);
        var distribution = string.Join(", ",
            answers.GroupBy(a => a).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}"))
            + $" (all answered within {burst.Elapsed.TotalSeconds:0.0} s)";
        output.WriteLine($"Round {round}: {distribution}");
        answers.Count(a => a.StartsWith("200", StringComparison.Ordinal)).ShouldBe(10, distribution);
        answers.Count(a => a.StartsWith("422", StringComparison.Ordinal)).ShouldBe(40, distribution);
        await owner.ShouldHaveFund(fundId, balance: 10_000m, reserved: 10_000m, disbursed: 0m, available: 0m);
        var states = await Task.WhenAll(grants.Select(g => owner.GetFromJsonAsync<JsonElement>($"/api/grants/{g}")));
        states.Count(s => s.GetProperty("status").GetString() == "approved").ShouldBe(10);
        states.Count(s => s.GetProperty("status").GetString() == "pending").ShouldBe(40);
        states.Where(s => s.GetProperty("status").GetString() == "approved")
            .Sum(s => s.GetProperty("approvedAmount").GetDecimal()).ShouldBe(10_000m);
    }

    /// <summary>Each answer as its status and, for a problem, its title: what an assertion on a burst prints.</summary>
    private static async Task<string[]> Answers(IEnumerable<HttpResponseMessage> responses) =>
        await Task.WhenAll(responses.Select(async r =>
        {
            var body = await r.Content.ReadAsStringAsync();
            var title = r.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? JsonDocument.Parse(body).RootElement.TryGetProperty("title", out var t)
                    ? $" {t.GetString()}"
                    : string.Empty
                : string.Empty;
            return $"{(int)r.StatusCode}{title}";
        }));
}

internal static class Funds
{
    public static JsonObject GrantBody(Guid fundId, decimal amount, string category, string currency = "EUR") => new()
    {
        ["fundId"] = fundId,
        ["amount"] = amount,
        ["currency"] = currency,
        ["category"] = category,
        ["purpose"] = "Reinforced door and a panic button for the family home.",
        ["peopleCovered"] = 3,
    };

    public static async Task<Guid> CreateFundAsync(this HttpClient funder, decimal openingBalance)
    {
        var response = await funder.PostAsJsonAsync("/api/funds",
            new { name = $"Rapid response {Guid.NewGuid():N}"[..30], currency = "EUR", openingBalance });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Json()).GetProperty("id").GetGuid();
    }

    public static async Task ShouldHaveFund(this HttpClient funder, Guid fundId, decimal balance, decimal reserved,
        decimal disbursed, decimal available)
    {
        var fund = await funder.GetFromJsonAsync<JsonElement>($"/api/funds/{fundId}");
        fund.GetProperty("balance").GetDecimal().ShouldBe(balance);
        fund.GetProperty("reserved").GetDecimal().ShouldBe(reserved);
        fund.GetProperty("disbursed").GetDecimal().ShouldBe(disbursed);
        fund.GetProperty("available").GetDecimal().ShouldBe(available);
    }
}
