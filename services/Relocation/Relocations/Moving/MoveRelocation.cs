using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.EventSourcing.PersonalData;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;

namespace Protection.Relocations.Relocations.Moving;

/// <summary>
/// The four movements of a relocation (depart, arrive, return, resettle): commands without a body,
/// each one step of the transition table and one event.
/// </summary>
public static class MoveRelocation
{
    /// <summary>The endpoint of one movement, <c>POST /api/relocations/{id}/…</c>.</summary>
    public delegate Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Movement(
        Guid id,
        HttpContext http,
        IDocumentStore store,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken);

    /// <summary>A funded relocation departs; the first check-in is due one check-in interval from now.</summary>
    public static Outcome<IReadOnlyList<object>> Depart(Relocation relocation, string by, DateTimeOffset now) =>
        Step(relocation, RelocationCommand.Depart,
            () => new RelocationDeparted(relocation.Id, by, now, now + relocation.CheckInEvery));

    /// <summary>In transit, the defender arrives; the check-in deadline runs on.</summary>
    public static Outcome<IReadOnlyList<object>> Arrive(Relocation relocation, string by, DateTimeOffset now) =>
        Step(relocation, RelocationCommand.Arrive, () => new RelocationArrived(relocation.Id, by, now));

    /// <summary>In transit or arrived, the defender comes home; check-ins stop.</summary>
    public static Outcome<IReadOnlyList<object>> Return(Relocation relocation, string by, DateTimeOffset now) =>
        Step(relocation, RelocationCommand.Return, () => new DefenderReturned(relocation.Id, by, now));

    /// <summary>Arrived, the defender stays at the destination for good; check-ins stop.</summary>
    public static Outcome<IReadOnlyList<object>> Resettle(Relocation relocation, string by, DateTimeOffset now) =>
        Step(relocation, RelocationCommand.Resettle, () => new DefenderResettled(relocation.Id, by, now));

    /// <summary>The endpoint that takes the step <paramref name="decide"/> decides, as the signed-in officer.</summary>
    public static Movement Endpoint(Func<Relocation, string, DateTimeOffset, Outcome<IReadOnlyList<object>>> decide) =>
        async (id, http, store, options, keys, clock, cancellationToken) =>
            Answers.OkWithoutRules(http, await RelocationStep.TakeAsync(
                id,
                http,
                store,
                keys,
                options.Value,
                clock,
                (relocation, _, now) => decide(relocation, http.User.UserId(), now),
                cancellationToken));

    private static Outcome<IReadOnlyList<object>> Step(
        Relocation relocation, RelocationCommand command, Func<object> happened) =>
        RelocationStateMachine.RefusalOf(relocation.State, command) is { } refused ? refused : new[] { happened() };
}
