using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases.Overriding;

public sealed record OverrideRequest
{
    [Required]
    public RiskLevel? Level { get; init; }

    /// <summary>Why the rules' level is wrong for this case; kept (sealed) in the case's history.</summary>
    [Required]
    [StringLength(2000, MinimumLength = 10, ErrorMessage = "Give the reason for the override (10 to 2000 characters).")]
    public string? Reason { get; init; }
}

public static class OverrideRisk
{
    /// <summary>
    /// <c>POST /api/cases/{id}/assessment/override</c>: a supervisor sets the level by hand, with a
    /// reason kept in the history.
    /// </summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id,
        OverrideRequest request,
        HttpContext http,
        CasePath cases,
        TriageDecisions decisions,
        CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await cases.RunAsync(http, id, Actor.Supervisor, (@case, seal, now) =>
            decisions.Override(@case, request.Level!.Value, seal.Seal(request.Reason!), http.User.UserId(), now),
            cancellationToken));
}
