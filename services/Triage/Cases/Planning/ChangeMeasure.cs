using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases.Planning;

public sealed record CancelMeasureRequest
{
    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 3)]
    public string? Reason { get; init; }
}

/// <summary>A measure of the plan is completed, or cancelled with a reason.</summary>
public static class ChangeMeasure
{
    /// <summary>
    /// A measure changes while the case and the measure are open; <paramref name="change"/> makes the
    /// event only then.
    /// </summary>
    public static Outcome<Decided> Decide(TriageCase @case, Guid measureId, Func<object> change) =>
        TriageDecisions.MustBeOpen(@case) is { } closed ? closed
        : @case.FindMeasure(measureId) switch
        {
            null => Refusal.NotFound("The measure"),
            { Status: not MeasureStatus.Open } measure =>
                Refusal.Conflict($"The measure is already {measure.Status.ToString().ToLowerInvariant()}."),
            _ => new Decided([change()]),
        };

    /// <summary><c>POST /api/cases/{id}/plan/measures/{measureId}/complete</c>.</summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Complete(
        Guid id, Guid measureId, HttpContext http, CasePath cases, CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await cases.RunAsync(http, id, Actor.Caseworker, (@case, now) =>
            Decide(@case, measureId, () => new MeasureCompleted(id, measureId, http.User.UserId(), now)),
            cancellationToken));

    /// <summary><c>POST /api/cases/{id}/plan/measures/{measureId}/cancel</c>, with a reason.</summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Cancel(
        Guid id,
        Guid measureId,
        CancelMeasureRequest request,
        HttpContext http,
        CasePath cases,
        CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await cases.RunAsync(http, id, Actor.Caseworker, (@case, seal, now) =>
            Decide(@case, measureId, () =>
                new MeasureCancelled(id, measureId, seal.Seal(request.Reason!), http.User.UserId(), now)),
            cancellationToken));
}
