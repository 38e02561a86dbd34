using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Relocation;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.CheckingIn;

public sealed record CheckInInput
{
    [Required]
    public CheckInStatus? Status { get; init; }

    [StringLength(4000)]
    public string? Note { get; init; }
}

public static class RecordCheckIn
{
    /// <summary>
    /// A check-in sets the next deadline from now; an emergency is published at once (triage escalates).
    /// </summary>
    public static Outcome<IReadOnlyList<object>> Decide(
        Relocation relocation, CheckInStatus status, SealedData? note, string by, DateTimeOffset now) =>
        RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.CheckIn) is { } refused
            ? refused
            : new object[]
            {
                new DefenderCheckedIn(relocation.Id, status, note, by, now, now + relocation.CheckInEvery),
            };

    /// <summary>
    /// <c>POST /api/relocations/{id}/check-ins</c>: safe, concern or emergency, with a note sealed with the
    /// case's key.
    /// </summary>
    public static async Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id,
        CheckInInput input,
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
            (relocation, seal, now) => Decide(
                relocation,
                input.Status!.Value,
                string.IsNullOrWhiteSpace(input.Note) ? null : seal.Seal(input.Note.Trim()),
                http.User.UserId(),
                now),
            cancellationToken));
}
