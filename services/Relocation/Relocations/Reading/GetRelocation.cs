using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Reading;

public static class GetRelocation
{
    /// <summary>
    /// <c>GET /api/relocations/{id}</c>: state, people, dates, next check-in due, history of transitions;
    /// the ETag is the relocation's version.
    /// </summary>
    public static async Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem>> Handle(
        Guid id,
        HttpContext http,
        IQuerySession session,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.Read(http, await ReadAsync(id, http, session, options.Value, keys, clock, cancellationToken));

    private static async Task<Outcome<RelocationView>> ReadAsync(
        Guid id,
        HttpContext http,
        IQuerySession session,
        RelocationOptions options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Relocation>(id, cancellationToken) is not { } relocation)
        {
            return Refusal.NotFound("The relocation");
        }

        http.ReadsCase(relocation.CaseId);
        var @case = await session.LoadAsync<CaseRecord>(relocation.CaseId, cancellationToken);
        if (RelocationAccess.ToRelocation(http.User, @case) is { } forbidden)
        {
            return forbidden;
        }

        var seal = await keys.ForReadingAsync(session, relocation.CaseId, cancellationToken);
        return RelocationView.Of(relocation, @case, seal, options, clock.GetUtcNow());
    }
}
