using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Auth;
using Protection.Triage.Cases;

namespace Protection.Triage.Dashboards;

/// <summary>
/// The cases opened in one month (UTC): how many, how many an officer has assessed, and the time from opening
/// to the first assessment (hours) of those: the median and the 90th percentile (interpolated, as PostgreSQL's
/// <c>percentile_cont</c>); null when none was assessed.
/// </summary>
public sealed record MonthOfAssessments(
    string Month, int Opened, int Assessed, double? MedianHours, double? Percentile90Hours);

/// <summary>The supervisor's figures of triage: the last twelve months, oldest first.</summary>
public sealed record TriageDashboardAnswer(IReadOnlyList<MonthOfAssessments> Months, Freshness Freshness);

public static class TriageDashboard
{
    public static IEndpointRouteBuilder MapTriageDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboards/triage", Handle)
            .WithTags("Dashboards")
            .RequireAuthorization(Policies.Supervisor)
            .WithName("GetTriageDashboard")
            .WithSummary("Supervisor: the time from a case's opening to its first assessment, median and 90th "
                + "percentile by month of opening, for the last twelve months, over the organisation's own cases. "
                + "Kept by an async projection: the answer says up to which event it goes.");
        return app;
    }

    /// <summary>
    /// <c>GET /api/dashboards/triage</c>: one grouped query over the indicators of the cases the reader's
    /// organisation owns (shared-in cases are their owner's figures).
    /// </summary>
    public static async Task<Ok<TriageDashboardAnswer>> Handle(
        HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var months = DashboardMonths.LastTwelve(now);
        var since = new DateTimeOffset(months[0].ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var schema = session.DocumentStore.Options.Schema;
        var freshness = await Freshness.OfAsync(session, TriageIndicatorProjection.ProjectionName, now,
            cancellationToken);

        var rows = await session.AdvancedSql.QueryAsync<MonthRow>(
            $"""
            select json_build_object(
                'month', to_char(date_trunc('month', i.opened_at at time zone 'UTC'), 'YYYY-MM'),
                'opened', count(*),
                'assessed', count(i.first_assessed_at),
                'medianHours', percentile_cont(0.5) within group (order by hours.value),
                'percentile90Hours', percentile_cont(0.9) within group (order by hours.value))
            from {schema.For<TriageIndicator>()} i
            join {schema.For<CaseHolding>()} h on h.id = i.id
            cross join lateral (select extract(epoch from (i.first_assessed_at - i.opened_at)) / 3600.0 as value)
                hours
            where h.owner = ? and i.opened_at >= ?
            group by date_trunc('month', i.opened_at at time zone 'UTC')
            """,
            cancellationToken,
            http.User.OrganisationId() ?? string.Empty,
            since);

        // The query groups by month name; a month without a case is a row of zeros.
        var byMonth = rows.ToDictionary(r => r.Month);
        var answer = months.Select(DashboardMonths.Name).Select(m => byMonth.TryGetValue(m, out var r)
            ? new MonthOfAssessments(m, r.Opened, r.Assessed, r.MedianHours, r.Percentile90Hours)
            : new MonthOfAssessments(m, 0, 0, null, null));
        return TypedResults.Ok(new TriageDashboardAnswer([.. answer], freshness));
    }

    internal sealed record MonthRow(string Month, int Opened, int Assessed, double? MedianHours,
        double? Percentile90Hours);
}
