using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases.Assigning;

public sealed record AssignmentRequest
{
    /// <summary>The officer's user id (the <c>sub</c> of their token), not a name.</summary>
    [Required]
    [RegularExpression(
        "^[A-Za-z0-9._:@-]{1,120}$", ErrorMessage = "Use the officer's user id (letters, digits and . _ : @ -).")]
    public string? Officer { get; init; }
}

public static class AssignCase
{
    /// <summary>An open case, to an officer it is not assigned to yet.</summary>
    public static Outcome<Decided> Decide(TriageCase @case, string officer, string by, DateTimeOffset now) =>
        TriageDecisions.MustBeOpen(@case) is { } closed ? closed
        : @case.AssignedTo == officer ? Refusal.Conflict($"The case is already assigned to {officer}.")
        : new Decided([new OfficerAssigned(@case.Id, officer, @case.AssignedTo, by, now)]);

    /// <summary>
    /// <c>POST /api/cases/{id}/assignment</c> (supervisor): from now on the case is this officer's, and
    /// only theirs among officers.
    /// </summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id, AssignmentRequest request, HttpContext http, CasePath cases, CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await cases.RunAsync(http, id, Actor.Supervisor,
            (@case, now) => Decide(@case, request.Officer!, http.User.UserId(), now), cancellationToken));
}
