using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Moving;

public static class Resettle
{
    /// <summary>Arrived, the defender stays at the destination for good; check-ins stop.</summary>
    public static Outcome<IReadOnlyList<object>> Decide(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.Resettle) is { } refused
            ? refused
            : new object[] { new DefenderResettled(relocation.Id, by, now) };

    /// <summary><c>POST /api/relocations/{id}/resettle</c>: the defender stays at the destination for good.</summary>
    public static async Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id,
        HttpContext http,
        IDocumentStore store,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await RelocationStep.TakeAsync(
            id,
            http,
            store,
            keys,
            options.Value,
            clock,
            (relocation, _, now) => Decide(relocation, http.User.UserId(), now),
            cancellationToken));
}
