using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.Relocations.Relocations.Reading;

public static class GetRelocation
{
    /// <summary>
    /// <c>GET /api/relocations/{id}</c>: state, people, dates, next check-in due, history of transitions;
    /// the ETag is the relocation's version. Its case's readers and the hosting organisation's staff read it
    /// as much as <see cref="RelocationAccess.Reading"/> allows; to anyone else it does not exist.
    /// </summary>
    public static async Task<Results<Ok<RelocationView>, Ok<RelocationDatesView>, NotFoundProblem, ForbiddenProblem>>
        Handle(
            Guid id,
            HttpContext http,
            IQuerySession session,
            IOptions<RelocationOptions> options,
            CaseKeys keys,
            TimeProvider clock,
            CancellationToken cancellationToken)
    {
        var outcome = await ReadAsync(id, http, session, options.Value, keys, clock, cancellationToken);
        switch (outcome.Refusal, outcome.Value)
        {
            case ({ Kind: RefusalKind.NotFound } refused, _):
                return new NotFoundProblem(Answers.Problem(refused));
            case ({ } refused, _):
                return new ForbiddenProblem(Answers.Problem(refused));
            case (_, RelocationDatesView dates):
                return TypedResults.Ok(dates);
            default:
                var view = (RelocationView)outcome.Value!;
                http.Response.Headers.ETag = $"\"{view.Version}\"";
                return TypedResults.Ok(view);
        }
    }

    private static async Task<Outcome<RelocationRead>> ReadAsync(
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
        var sight = RelocationAccess.Reading(http.User, @case, relocation);
        if (sight.Refusal is { } refused)
        {
            return refused;
        }

        var seal = sight.Value is RelocationSight.Caseworker or RelocationSight.ReadOnly
            ? await keys.ForReadingAsync(session, relocation.CaseId, cancellationToken)
            : null;
        return RelocationRead.For(relocation, @case, seal, options, clock.GetUtcNow(), sight.Value);
    }
}
