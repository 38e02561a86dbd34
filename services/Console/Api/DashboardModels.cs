namespace Protection.Console.Api;

// The dashboards' answers as the API gives them (GET /api/dashboards/…). Enum values are kept as the API's
// words (camelCase strings): the page names them through its texts.

/// <summary>How fresh the figures are: up to which event the async projection went, and whether newer wait.</summary>
public sealed record DashboardFreshness(DateTimeOffset AsOf, long ProjectedTo, long LatestEvent, bool Current);

public sealed record StageAndRiskCount(string Stage, string? Risk, int Cases);

public sealed record CasesDashboard(
    IReadOnlyList<StageAndRiskCount> ByStageAndRisk, int Total, int OverdueTriage, DashboardFreshness Freshness);

public sealed record MonthOfAssessments(
    string Month, int Opened, int Assessed, double? MedianHours, double? Percentile90Hours);

public sealed record TriageDashboard(IReadOnlyList<MonthOfAssessments> Months, DashboardFreshness Freshness);

public sealed record MonthOfDecisions(string Month, int InTime, int Late, int PendingOverdue, int PendingInTime);

public sealed record MoneyByCategory(
    string Category, string Currency, int Grants, decimal Requested, decimal Approved, decimal Paid);

public sealed record GrantsDashboard(
    string Scope,
    IReadOnlyList<MonthOfDecisions> Decisions,
    IReadOnlyList<MoneyByCategory> Money,
    DashboardFreshness Freshness);

public sealed record RelocationsInState(string State, int Relocations, int MissedNow, int MissedInAll);

public sealed record RelocationsDashboard(
    IReadOnlyList<RelocationsInState> InProgress, int MissedNow, int MissedInAll, DashboardFreshness Freshness);

/// <summary>The dashboards' reads, each through the gateway with the signed-in person's token.</summary>
public static class DashboardCalls
{
    public static Task<ApiResult<CasesDashboard>> CasesDashboardAsync(this ProtectionApi api) =>
        api.GetAsync<CasesDashboard>("api/dashboards/cases");

    public static Task<ApiResult<TriageDashboard>> TriageDashboardAsync(this ProtectionApi api) =>
        api.GetAsync<TriageDashboard>("api/dashboards/triage");

    public static Task<ApiResult<GrantsDashboard>> GrantsDashboardAsync(this ProtectionApi api) =>
        api.GetAsync<GrantsDashboard>("api/dashboards/grants");

    public static Task<ApiResult<RelocationsDashboard>> RelocationsDashboardAsync(this ProtectionApi api) =>
        api.GetAsync<RelocationsDashboard>("api/dashboards/relocations");
}
