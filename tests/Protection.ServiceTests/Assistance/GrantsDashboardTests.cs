extern alias assistance;

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Protection.Contracts.Assistance;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceTests.Hosting;
using Grant = assistance::Protection.EmergencyAssistance.Grants.Grant;
using GrantAwarded = assistance::Protection.EmergencyAssistance.Grants.GrantAwarded;
using GrantDeclined = assistance::Protection.EmergencyAssistance.Grants.GrantDeclined;
using GrantRequestFiled = assistance::Protection.EmergencyAssistance.Grants.GrantRequestFiled;
using TrancheDisbursed = assistance::Protection.EmergencyAssistance.Grants.TrancheDisbursed;

namespace Protection.ServiceTests.Assistance;

/// <summary>
/// The grants dashboard from the indicators the async daemon keeps. The grants' events are stored as the
/// service stores them, with the times a clock would have given (a decision made after its deadline), so the
/// figures are known: funders count the grants on their funds, supervisors the grants of their cases, and
/// another organisation's grant counts for neither.
/// </summary>
[Collection(AssistanceCollection.Name)]
public sealed class GrantsDashboardTests(AssistanceHost assistance)
{
    private static readonly SealedData Sealed = new("not-opened-here");

    [Fact]
    public async Task Counts_decisions_in_time_and_late_and_the_money_by_category()
    {
        var organisation = $"org-{Guid.NewGuid():N}";
        var other = $"org-{Guid.NewGuid():N}";
        var fund = await FundOfAsync(organisation);
        var otherFund = await FundOfAsync(other);
        var caseId = Guid.CreateVersion7();
        await assistance.DeliverAsync(Facts.CaseOpened(caseId, "officer-g") with { Organisation = organisation });
        var otherCase = Guid.CreateVersion7();
        await assistance.DeliverAsync(Facts.CaseOpened(otherCase, "officer-o") with { Organisation = other });

        var now = DateTimeOffset.UtcNow;
        var store = assistance.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            // In time, approved 800 of 1,000 and paid 300 of it.
            var inTime = Guid.CreateVersion7();
            session.Events.StartStream<Grant>(
                inTime,
                Filed(inTime, caseId, fund, organisation, 1_000m, GrantCategory.Legal, now.AddHours(-2), 72),
                new GrantAwarded(inTime, "funder-g", 800m, 800m, ["funder-g"], now.AddHours(-1)),
                new TrancheDisbursed(inTime, 1, 300m, "funder-g", now.AddMinutes(-30), null));

            // Decided a day after its 24 hours: late, rejected.
            var late = Guid.CreateVersion7();
            session.Events.StartStream<Grant>(
                late,
                Filed(late, caseId, fund, organisation, 400m, GrantCategory.Legal, now.AddHours(-60), 24),
                new GrantDeclined(late, "funder-g", Sealed, now.AddHours(-12)));

            // Still pending, its deadline passed.
            var overdue = Guid.CreateVersion7();
            session.Events.StartStream<Grant>(
                overdue,
                Filed(overdue, caseId, fund, organisation, 250m, GrantCategory.DigitalSecurity, now.AddHours(-30),
                    24));

            // Another organisation's grant on another fund, for its own case.
            var theirs = Guid.CreateVersion7();
            session.Events.StartStream<Grant>(
                theirs,
                Filed(theirs, otherCase, otherFund, other, 9_999m, GrantCategory.Legal, now.AddHours(-3), 72),
                new GrantAwarded(theirs, "funder-o", 9_999m, 9_999m, ["funder-o"], now.AddHours(-2)));
            await session.SaveChangesAsync();
        }

        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var funder = await assistance.WithToken(TestTokens.Of(organisation, "funder-g", ["funder"]))
            .SendAsync("GET", "/api/dashboards/grants").ShouldBe(HttpStatusCode.OK);
        var supervisor = await assistance.WithToken(TestTokens.Of(organisation, "supervisor-g", ["supervisor"]))
            .SendAsync("GET", "/api/dashboards/grants").ShouldBe(HttpStatusCode.OK);
        funder.GetProperty("scope").GetString().ShouldBe("funds");
        supervisor.GetProperty("scope").GetString().ShouldBe("cases");

        foreach (var answer in new[] { funder, supervisor })
        {
            answer.GetProperty("freshness").GetProperty("current").GetBoolean().ShouldBeTrue();
            var months = answer.GetProperty("decisions").EnumerateArray().ToArray();
            months.Length.ShouldBe(12);
            var decided = months.Select(m => (
                InTime: m.GetProperty("inTime").GetInt32(),
                Late: m.GetProperty("late").GetInt32(),
                Overdue: m.GetProperty("pendingOverdue").GetInt32(),
                Pending: m.GetProperty("pendingInTime").GetInt32())).ToArray();
            (decided.Sum(d => d.InTime), decided.Sum(d => d.Late), decided.Sum(d => d.Overdue),
                decided.Sum(d => d.Pending)).ShouldBe((1, 1, 1, 0));

            var money = answer.GetProperty("money").EnumerateArray().ToDictionary(
                m => m.GetProperty("category").GetString()!, m => m, StringComparer.OrdinalIgnoreCase);
            money.Count.ShouldBe(2);
            Figures(money["Legal"]).ShouldBe((2, 1_400m, 800m, 300m, "EUR"));
            Figures(money["DigitalSecurity"]).ShouldBe((1, 250m, 0m, 0m, "EUR"));
        }
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("auditor")]
    [InlineData("admin")]
    public async Task Is_for_supervisors_and_funders_only(string role) =>
        await assistance.WithToken(TestTokens.Of($"org-{Guid.NewGuid():N}", "someone", [role]))
            .SendAsync("GET", "/api/dashboards/grants").ShouldBeProblem(HttpStatusCode.Forbidden);

    private static (int, decimal, decimal, decimal, string?) Figures(JsonElement m) => (
        m.GetProperty("grants").GetInt32(), m.GetProperty("requested").GetDecimal(),
        m.GetProperty("approved").GetDecimal(), m.GetProperty("paid").GetDecimal(),
        m.GetProperty("currency").GetString());

    private static GrantRequestFiled Filed(
        Guid grant, Guid caseId, Guid fund, string organisation, decimal amount, GrantCategory category,
        DateTimeOffset at, int hours) => new(
        grant, caseId, Facts.Reference(caseId), "CO", [], null, fund, "EUR", amount, category, Sealed, 2,
        "officer-g", at, at.AddHours(hours), organisation);

    private async Task<Guid> FundOfAsync(string organisation)
    {
        var body = new JsonObject
        {
            ["name"] = $"Fund {Guid.NewGuid():N}"[..20], ["currency"] = "EUR", ["openingBalance"] = 50_000m,
        };
        var fund = await assistance.WithToken(TestTokens.Of(organisation, "funder-g", ["funder"]))
            .SendAsync("POST", "/api/funds", body.ToJsonString()).ShouldBe(HttpStatusCode.Created);
        return fund.GetProperty("id").GetGuid();
    }
}
