using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;
using Protection.Triage.Cases;
using Protection.Triage.Reading;

namespace Protection.Triage.Closing;

public sealed record CloseRequest
{
    [Required]
    public CaseOutcome? Outcome { get; init; }

    /// <summary>Optional; stored sealed with the case's key.</summary>
    [StringLength(2000)]
    public string? Note { get; init; }
}

public sealed record ReopenRequest
{
    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 3)]
    public string? Reason { get; init; }
}

/// <summary>
/// Closing and re-opening live in triage: closing is a protection decision about an assessed case,
/// taken by its officer, and re-opening puts it straight back in the triage queue.
/// </summary>
public static class CloseCase
{
    /// <summary><c>POST /api/cases/{id}/close</c>: closes an open case with an outcome.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Close(
        Guid id, CloseRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        Decision Decide(TriageCase @case, SealedData? note, DateTimeOffset now) =>
            @case.Status == TriageStatus.Closed
                ? Problems.Conflict("The case is already closed.")
                : new object[] { new Cases.CaseClosed(id, request.Outcome!.Value, note, http.User.UserId(), now) };

        return request.Note is null
            ? CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: false, (@case, now) => Decide(@case, null, now), cancellationToken)
            : CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: false,
                (@case, seal, now) => Decide(@case, seal.Seal(request.Note), now), cancellationToken);
    }

    /// <summary><c>POST /api/cases/{id}/reopen</c>: re-opens a closed case; it re-enters the triage queue.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Reopen(
        Guid id, ReopenRequest request, HttpContext http, IDocumentSession session, TriageDecisions decisions, TimeProvider clock, CancellationToken cancellationToken) =>
        CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: false, (@case, seal, now) =>
            @case.Status == TriageStatus.Open
                ? Problems.Conflict("The case is open; only a closed case can be re-opened.")
                : decisions.Reopen(@case, seal.Seal(request.Reason!), http.User.UserId(), now).ToArray(),
            cancellationToken);
}
