using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reading;

public static class GetGrant
{
    /// <summary>
    /// <c>GET /api/grants/{id}</c>: one grant for a funder, a supervisor, or an officer of its case. The
    /// read is logged against the grant's case, refused or not.
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
        if (await GrantAccess.RefusesReaderAsync(session, http.User, grant, cancellationToken) is { } refused)
        {
            return refused;
        }

        var seal = await keys.ForReadingAsync(session, grant.CaseId, cancellationToken);
        return GrantView.Of(grant, seal, options, clock.GetUtcNow(), http.User);
    }
}
