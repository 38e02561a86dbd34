using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases.Reopening;

public sealed record ReopenRequest
{
    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 3)]
    public string? Reason { get; init; }
}

public static class ReopenCase
{
    /// <summary><c>POST /api/cases/{id}/reopen</c>: re-opens a closed case; it re-enters the triage queue.</summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id,
        ReopenRequest request,
        HttpContext http,
        CasePath cases,
        TriageDecisions decisions,
        CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await cases.RunAsync(http, id, Actor.Caseworker, (@case, seal, now) =>
            decisions.Reopen(@case, seal.Seal(request.Reason!), http.User.UserId(), now), cancellationToken));
}
