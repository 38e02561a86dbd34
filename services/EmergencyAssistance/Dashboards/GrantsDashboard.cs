using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Assistance;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Auth;

namespace Protection.EmergencyAssistance.Dashboards;

/// <summary>Whose grants a dashboard counts: those on the reader's organisation's funds, or of its cases.</summary>
public enum GrantScope
{
    Funds,
    Cases,
}

/// <summary>
/// The grants requested in one month (UTC) by what became of their decision: decided (approved or rejected) by
/// its deadline, decided after it, still pending past it, still pending within it. A grant withdrawn before a
/// decision is in none of them.
/// </summary>
public sealed record MonthOfDecisions(string Month, int InTime, int Late, int PendingOverdue, int PendingInTime);

/// <summary>
/// Money by category in one currency: requested (every request), approved (the amounts granted) and paid (the
/// tranches disbursed).
/// </summary>
public sealed record MoneyByCategory(
    GrantCategory Category, string Currency, int Grants, decimal Requested, decimal Approved, decimal Paid);

public sealed record GrantsDashboardAnswer(
    GrantScope Scope,
    IReadOnlyList<MonthOfDecisions> Decisions,
    IReadOnlyList<MoneyByCategory> Money,
    Freshness Freshness);

public static class GrantsDashboard
{
    public static IEndpointRouteBuilder MapGrantsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboards/grants", Handle)
            .WithTags("Dashboards")
            .RequireAuthorization(Policies.DashboardReader)
            .WithName("GetGrantsDashboard")
            .WithSummary("Funders: the grants on their organisation's funds; supervisors: the grants of their "
                + "organisation's cases. Decisions made within their deadline by month of request (last twelve "
                + "months) and money requested, approved and paid by category and currency. Kept by an async "
                + "projection: the answer says up to which event it goes.");
        return app;
    }

    /// <summary><c>GET /api/dashboards/grants</c>: two grouped queries over the grants' indicators.</summary>
    public static async Task<Ok<GrantsDashboardAnswer>> Handle(
        HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var organisation = http.User.OrganisationId() ?? string.Empty;
        var scope = http.User.IsInRole(Roles.Funder) ? GrantScope.Funds : GrantScope.Cases;
        var schema = session.DocumentStore.Options.Schema;
        var freshness = await Freshness.OfAsync(session, GrantIndicatorProjection.ProjectionName, now,
            cancellationToken);

        // A grant recorded before organisations names none: its fund's organisation holds.
        var from = $"from {schema.For<GrantIndicator>()} g "
            + $"left join {schema.For<Fund>()} f on f.id = g.fund_id "
            + $"left join {schema.For<CaseRecord>()} c on c.id = g.case_id "
            + (scope == GrantScope.Funds
                ? "where coalesce(g.fund_organisation, f.organisation) = ?"
                : "where c.organisation = ?");

        var months = DashboardMonths.LastTwelve(now);
        var since = new DateTimeOffset(months[0].ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        const string pending = "g.decided_at is null and lower(g.data ->> 'status') = 'pending'";
        var decisions = await session.AdvancedSql.QueryAsync<MonthOfDecisions>(
            $"""
            select json_build_object(
                'month', to_char(date_trunc('month', g.requested_at at time zone 'UTC'), 'YYYY-MM'),
                'inTime', count(*) filter (where g.decided_at <= g.decision_due_at),
                'late', count(*) filter (where g.decided_at > g.decision_due_at),
                'pendingOverdue', count(*) filter (where {pending} and g.decision_due_at < ?),
                'pendingInTime', count(*) filter (where {pending} and g.decision_due_at >= ?))
            {from} and g.requested_at >= ?
            group by date_trunc('month', g.requested_at at time zone 'UTC')
            """,
            cancellationToken,
            now,
            now,
            organisation,
            since);

        var money = await session.AdvancedSql.QueryAsync<MoneyByCategory>(
            $"""
            select json_build_object(
                'category', g.data ->> 'category', 'currency', g.data ->> 'currency', 'grants', count(*),
                'requested', sum((g.data ->> 'requested')::numeric),
                'approved', coalesce(sum((g.data ->> 'approved')::numeric), 0),
                'paid', sum((g.data ->> 'paid')::numeric))
            {from}
            group by g.data ->> 'category', g.data ->> 'currency'
            order by g.data ->> 'currency', g.data ->> 'category'
            """,
            cancellationToken,
            organisation);

        var byMonth = decisions.ToDictionary(d => d.Month);
        var answer = months.Select(DashboardMonths.Name)
            .Select(m => byMonth.GetValueOrDefault(m) ?? new MonthOfDecisions(m, 0, 0, 0, 0));
        return TypedResults.Ok(new GrantsDashboardAnswer(scope, [.. answer], money, freshness));
    }
}
