using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Relocation;
using Protection.EventSourcing.EventStore;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Auth;

namespace Protection.Relocations.Dashboards;

/// <summary>
/// How many of the organisation's relocations are in one state, how many of them wait for a check-in that was
/// missed, and how many check-ins were missed in all over them.
/// </summary>
public sealed record RelocationsInState(RelocationState State, int Relocations, int MissedNow, int MissedInAll);

/// <summary>Every state but closed (zeros included), in the lifecycle's order, and the totals of those.</summary>
public sealed record RelocationsDashboardAnswer(
    IReadOnlyList<RelocationsInState> InProgress, int MissedNow, int MissedInAll, Freshness Freshness);

public static class RelocationsDashboard
{
    public static IEndpointRouteBuilder MapRelocationsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboards/relocations", Handle)
            .WithTags("Dashboards")
            .RequireAuthorization(Policies.Supervisor)
            .WithName("GetRelocationsDashboard")
            .WithSummary("Supervisor: the relocations of the organisation's own cases still in progress, by state, "
                + "and their missed check-ins. Kept by an async projection: the answer says up to which event "
                + "it goes.");
        return app;
    }

    /// <summary><c>GET /api/dashboards/relocations</c>: one grouped query over the relocations' indicators.</summary>
    public static async Task<Ok<RelocationsDashboardAnswer>> Handle(
        HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var schema = session.DocumentStore.Options.Schema;
        var freshness = await Freshness.OfAsync(session, RelocationIndicatorProjection.ProjectionName, now,
            cancellationToken);
        var rows = await session.AdvancedSql.QueryAsync<RelocationsInState>(
            $"""
            select json_build_object(
                'state', r.data ->> 'state', 'relocations', count(*),
                'missedNow', count(*) filter (where (r.data ->> 'checkInMissedNow')::boolean),
                'missedInAll', coalesce(sum((r.data ->> 'missedCheckIns')::int), 0))
            from {schema.For<RelocationIndicator>()} r
            join {schema.For<CaseRecord>()} c on c.id = r.case_id
            where c.data ->> 'organisation' = ? and lower(r.data ->> 'state') <> 'closed'
            group by r.data ->> 'state'
            """,
            cancellationToken,
            http.User.OrganisationId() ?? string.Empty);

        var byState = rows.ToDictionary(r => r.State);
        var states = Enum.GetValues<RelocationState>().Where(s => s != RelocationState.Closed)
            .Select(s => byState.GetValueOrDefault(s) ?? new RelocationsInState(s, 0, 0, 0))
            .ToArray();
        return TypedResults.Ok(new RelocationsDashboardAnswer(
            states, states.Sum(s => s.MissedNow), states.Sum(s => s.MissedInAll), freshness));
    }
}
