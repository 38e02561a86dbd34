using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Moving;

public static class DepartRelocation
{
    /// <summary>A funded relocation departs; the first check-in is due one check-in interval from now.</summary>
    public static Outcome<IReadOnlyList<object>> Decide(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.Depart) is { } refused
            ? refused
            : new object[] { new RelocationDeparted(relocation.Id, by, now, now + relocation.CheckInEvery) };

    /// <summary><c>POST /api/relocations/{id}/depart</c>: the defender left; check-ins are due from now.</summary>
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
