using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.EmergencyAssistance.Cases;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reading;

public static class GetGrant
{
    /// <summary>
    /// <c>GET /api/grants/{id}</c>: one grant for a funder of its fund's organisation, its case's owner
    /// caseworkers or the officer who requested it, or a partner of the case (read only); see
    /// <see cref="GrantAccess.SightOf"/>. The read is logged against the grant's case, refused or not.
    /// </summary>
    public static async Task<Results<Ok<GrantView>, NotFoundProblem, ForbiddenProblem>> Handle(
        Guid id,
        HttpContext http,
        IQuerySession session,
        CaseKeys keys,
        IOptions<AssistanceOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.Read(http, await ReadAsync(id, http, session, keys, options.Value, clock, cancellationToken));

    private static async Task<Outcome<GrantView>> ReadAsync(
        Guid id,
        HttpContext http,
        IQuerySession session,
        CaseKeys keys,
        AssistanceOptions options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Grant>(id, cancellationToken) is not { } grant)
        {
            return Refusal.NotFound("The grant");
        }

        http.ReadsCase(grant.CaseId);
        var @case = await session.LoadAsync<CaseRecord>(grant.CaseId, cancellationToken);
        var fundOrganisation = await GrantAccess.FundOrganisationAsync(session, grant, cancellationToken);
        var sight = GrantAccess.SightOf(http.User, grant, fundOrganisation, @case);
        if (sight.Refusal is { } refused)
        {
            return refused;
        }

        var seal = await keys.ForReadingAsync(session, grant.CaseId, cancellationToken);
        return GrantView.Of(grant, seal, options, clock.GetUtcNow(), sight.Value!, fundOrganisation);
    }
}
