using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases.Closing;

public sealed record CloseRequest
{
    [Required]
    public CaseOutcome? Outcome { get; init; }

    /// <summary>Optional; stored sealed with the case's key.</summary>
    [StringLength(2000)]
    public string? Note { get; init; }
}

/// <summary>
/// Closing lives in triage: it is a protection decision about an assessed case, taken by its
/// officer; re-opening (<see cref="Reopening.ReopenCase"/>) puts it straight back in the queue.
/// </summary>
public static class CloseCase
{
    /// <summary>An open case is closed once.</summary>
    public static Outcome<Decided> Decide(
        TriageCase @case, CaseOutcome outcome, SealedData? note, string by, DateTimeOffset now) =>
        @case.Status == TriageStatus.Closed
            ? Refusal.Conflict("The case is already closed.")
            : new Decided([new CaseClosedWithOutcome(@case.Id, outcome, note, by, now)]);

    /// <summary><c>POST /api/cases/{id}/close</c>: closes an open case with an outcome.</summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id, CloseRequest request, HttpContext http, CasePath cases, CancellationToken cancellationToken)
    {
        var outcome = request.Outcome!.Value;
        var by = http.User.UserId();
        var closed = request.Note is not { } note
            ? await cases.RunAsync(http, id, Actor.Caseworker,
                (@case, now) => Decide(@case, outcome, null, by, now), cancellationToken)
            : await cases.RunAsync(http, id, Actor.Caseworker,
                (@case, seal, now) => Decide(@case, outcome, seal.Seal(note), by, now), cancellationToken);
        return Answers.OkWithoutRules(http, closed);
    }
}
