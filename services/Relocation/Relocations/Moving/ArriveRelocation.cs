using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Moving;

public static class ArriveRelocation
{
    /// <summary>In transit, the defender arrives; the check-in deadline runs on.</summary>
    public static Outcome<IReadOnlyList<object>> Decide(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.Arrive) is { } refused
            ? refused
            : new object[] { new RelocationArrived(relocation.Id, by, now) };

    /// <summary><c>POST /api/relocations/{id}/arrive</c>: the defender reached the destination.</summary>
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
