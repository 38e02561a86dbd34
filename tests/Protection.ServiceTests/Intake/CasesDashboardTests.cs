using System.Net;
using System.Text.Json;
using Protection.Contracts.Triage;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Intake;

/// <summary>
/// The supervisors' cases dashboard: a fresh organisation's cases by stage and risk, as intake learned them
/// from triage, and those waiting past their triage deadline; another organisation's case never counts.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class CasesDashboardTests(IntakeHost intake)
{
    [Fact]
    public async Task Counts_the_organisations_cases_by_stage_and_risk_and_the_overdue_triage()
    {
        var organisation = $"org-{Guid.NewGuid():N}";
        var officer = intake.Of(organisation, "officer-c", "officer");
        await IntakeHost.OpenAsync(officer); // stays at intake, not assessed
        var overdue = await IntakeHost.OpenAsync(officer);
        var assessed = await IntakeHost.OpenAsync(officer);
        var closed = await IntakeHost.OpenAsync(officer);
        await IntakeHost.OpenAsync(intake.Of($"org-{Guid.NewGuid():N}", "officer-o", "officer"));

        var now = DateTimeOffset.UtcNow;
        await intake.DeliverAsync(Started(overdue, RiskLevel.High, now.AddHours(-1)));
        await intake.DeliverAsync(Started(assessed, RiskLevel.Medium, now.AddHours(48)));
        await intake.DeliverAsync(new RiskAssessed(assessed, Facts.Reference(assessed), RiskLevel.Critical,
            RiskLevel.Medium, RiskBasis.Assessment, ["physical-extreme"], 2, Facts.By("officer-c", "officer")));
        await intake.DeliverAsync(Started(closed, RiskLevel.Low, now.AddHours(48)));
        await intake.DeliverAsync(Facts.CaseClosed(closed, 2));

        var answer = await intake.Of(organisation, "supervisor-c", "supervisor")
            .SendAsync("GET", "/api/dashboards/cases").ShouldBe(HttpStatusCode.OK);

        answer.GetProperty("total").GetInt32().ShouldBe(4);
        answer.GetProperty("overdueTriage").GetInt32().ShouldBe(1);
        var cells = answer.GetProperty("byStageAndRisk").EnumerateArray().ToArray();
        cells.Length.ShouldBe(5 * 5);
        var counted = cells.Where(c => c.GetProperty("cases").GetInt32() > 0)
            .Select(c => $"{Word(c, "stage")}/{Word(c, "risk")}={c.GetProperty("cases").GetInt32()}")
            .Order()
            .ToArray();
        counted.ShouldBe(["closed/low=1", "intake/-=1", "triage/critical=1", "triage/high=1"]);
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("funder")]
    [InlineData("auditor")]
    public async Task Is_for_supervisors_only(string role) =>
        await intake.Of($"org-{Guid.NewGuid():N}", "someone", role)
            .SendAsync("GET", "/api/dashboards/cases").ShouldBeProblem(HttpStatusCode.Forbidden);

    private static TriageStarted Started(Guid id, RiskLevel risk, DateTimeOffset dueAt) =>
        new(id, Facts.Reference(id), risk, dueAt, 1, Facts.By("system", "system"));

    private static string Word(JsonElement cell, string name) =>
        cell.GetProperty(name) is { ValueKind: JsonValueKind.String } word
            ? word.GetString()!.ToLowerInvariant()
            : "-";
}
