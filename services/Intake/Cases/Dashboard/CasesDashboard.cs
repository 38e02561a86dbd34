using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Auth;

namespace Protection.Intake.Cases.Dashboard;

/// <summary>Where a case stands for the dashboard: its furthest active stage, or closed.</summary>
public enum DashboardStage
{
    Intake,
    Triage,
    EmergencyAssistance,
    Relocation,
    Closed,
}

/// <summary>How many of the organisation's cases stand at one stage with one risk level (null: not assessed).</summary>
public sealed record StageAndRisk(DashboardStage Stage, RiskLevel? Risk, int Cases);

/// <summary>
/// The supervisor's figures of the organisation's cases: every stage × risk cell (zeros included, stages and
/// levels in order, "not assessed" last), the total, and the cases whose first-triage deadline passed
/// without an assessment.
/// </summary>
public sealed record CasesDashboardAnswer(
    IReadOnlyList<StageAndRisk> ByStageAndRisk, int Total, int OverdueTriage, Freshness Freshness);

public static class CasesDashboard
{
    public static IEndpointRouteBuilder MapCasesDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboards/cases", Handle)
            .WithTags("Dashboards")
            .RequireAuthorization(Policies.Supervisor)
            .WithName("GetCasesDashboard")
            .WithSummary("Supervisor: the organisation's own cases by stage (closed apart) and risk level, and how "
                + "many wait for triage past their deadline. Counted in one query; no personal data.");
        return app;
    }

    /// <summary>
    /// <c>GET /api/dashboards/cases</c>: one grouped query over the cases the reader's organisation owns, joined
    /// with what intake learned of them (<see cref="CaseProgress"/>, where stage, status, risk and deadline are,
    /// written by the consumers as the other services' facts arrive, so the figures are current when read).
    /// Shared-in cases are their owner's figures, not the reader's.
    /// </summary>
    public static async Task<Ok<CasesDashboardAnswer>> Handle(
        HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var schema = session.DocumentStore.Options.Schema;

        // Duplicated enums are stored by name, as the JSON stores them.
        var rows = await session.AdvancedSql.QueryAsync<CellRow>(
            $"""
            select json_build_object(
                'stage', p.stage, 'status', p.status, 'risk', p.risk, 'cases', count(*),
                'overdue', count(*) filter (where p.triage_due_at <= ?))
            from {schema.For<Case>()} c
            join {schema.For<CaseProgress>()} p on p.id = c.id
            where c.organisation = ?
            group by p.stage, p.status, p.risk
            """,
            cancellationToken,
            now,
            http.User.OrganisationId() ?? string.Empty);

        var counted = rows
            .GroupBy(r => (Stage: StageOf(r), Risk: RiskOf(r.Risk)))
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Cases));
        RiskLevel?[] levels = [.. Enum.GetValues<RiskLevel>().Cast<RiskLevel?>(), null];
        var cells = Enum.GetValues<DashboardStage>()
            .SelectMany(stage => levels.Select(risk =>
                new StageAndRisk(stage, risk, counted.GetValueOrDefault((stage, risk)))))
            .ToArray();
        return TypedResults.Ok(new CasesDashboardAnswer(
            cells, rows.Sum(r => r.Cases), rows.Sum(r => r.Overdue), Freshness.Immediate(now)));
    }

    private static DashboardStage StageOf(CellRow row) =>
        string.Equals(row.Status, nameof(CaseStatus.Closed), StringComparison.OrdinalIgnoreCase)
            ? DashboardStage.Closed
            : Enum.TryParse<DashboardStage>(row.Stage, ignoreCase: true, out var stage) ? stage : DashboardStage.Intake;

    private static RiskLevel? RiskOf(string? risk) =>
        Enum.TryParse<RiskLevel>(risk, ignoreCase: true, out var level) ? level : null;

    internal sealed record CellRow(string? Stage, string? Status, string? Risk, int Cases, int Overdue);
}
