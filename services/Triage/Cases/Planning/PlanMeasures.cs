using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;
using Protection.ServiceDefaults.Time;
using Protection.Triage.Cases;
using Protection.Triage.Reading;

namespace Protection.Triage.Planning;

public sealed record AddMeasureRequest
{
    /// <summary>One of ICAN's four framework areas.</summary>
    [Required]
    public FrameworkArea? Area { get; init; }

    /// <summary>What kind of measure, as a short kebab-case code (e.g. <c>safe-house</c>, <c>legal-accompaniment</c>, <c>digital-security-audit</c>).</summary>
    [Required, RegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Use a short kebab-case code, e.g. legal-accompaniment.")]
    [StringLength(60)]
    public string? Type { get; init; }

    /// <summary>Who carries it out: a staff user id or a partner organisation's code, never a defender's name.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._:@-]{1,120}$", ErrorMessage = "Use a user id or partner code (letters, digits and . _ : @ -).")]
    public string? Owner { get; init; }

    [Required]
    public DateOnly? DueOn { get; init; }
}

public sealed record CancelMeasureRequest
{
    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 3)]
    public string? Reason { get; init; }
}

public sealed record MeasureAddedResponse(Guid MeasureId, TriageView Case);

public static class PlanMeasures
{
    /// <summary>
    /// A new measure is due from today (where it is earliest on Earth, so no officer's today is refused)
    /// to <see cref="DateBounds.MeasureHorizonYears"/> years ahead; null when the date is accepted.
    /// </summary>
    public static string? DueOnProblem(DateOnly dueOn, DateTimeOffset now)
    {
        var today = DateBounds.EarliestToday(now);
        var latest = DateBounds.LatestToday(now).AddYears(DateBounds.MeasureHorizonYears);
        return dueOn < today ? "A new measure cannot be due in the past."
            : dueOn > latest ? $"A measure is planned at most {DateBounds.MeasureHorizonYears} years ahead (until {latest:yyyy-MM-dd})."
            : null;
    }

    /// <summary><c>POST /api/cases/{id}/plan/measures</c>: adds a measure to the protection plan.</summary>
    public static async Task<Results<Created<MeasureAddedResponse>, ProblemHttpResult>> Add(
        Guid id, AddMeasureRequest request, HttpContext http, IDocumentSession session, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (DueOnProblem(request.DueOn!.Value, now) is { } dueOn)
        {
            return Problems.Unprocessable(new Dictionary<string, string[]> { ["dueOn"] = [dueOn] }, "The measure cannot be added.");
        }

        var (stream, problem) = await CaseCommands.Load(id, http, session, Actor.Caseworker, mustBeOpen: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var added = new MeasureAdded(id, Guid.CreateVersion7(), request.Area!.Value, request.Type!, request.Owner!, request.DueOn!.Value, http.User.UserId(), now);
        var seal = await keys.ForCaseAsync(session, id, create: false, now, cancellationToken);
        var view = await CaseCommands.Commit(http, session, stream!, [added], seal, now, cancellationToken);
        return TypedResults.Created($"/api/cases/{id}/triage", new MeasureAddedResponse(added.MeasureId, view));
    }

    /// <summary><c>POST /api/cases/{id}/plan/measures/{measureId}/complete</c>.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Complete(
        Guid id, Guid measureId, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken) =>
        CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: true,
            (@case, now) => Change(@case, measureId, () => new MeasureCompleted(id, measureId, http.User.UserId(), now)), cancellationToken);

    /// <summary><c>POST /api/cases/{id}/plan/measures/{measureId}/cancel</c>, with a reason.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Cancel(
        Guid id, Guid measureId, CancelMeasureRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken) =>
        CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: true,
            (@case, seal, now) => Change(@case, measureId, () => new MeasureCancelled(id, measureId, seal.Seal(request.Reason!), http.User.UserId(), now)), cancellationToken);

    /// <summary>The change of an open measure; <paramref name="change"/> runs (and seals) only when the measure may change.</summary>
    private static Decision Change(TriageCase @case, Guid measureId, Func<object> change) => @case.FindMeasure(measureId) switch
    {
        null => Problems.NotFound("The measure"),
        { Status: not MeasureStatus.Open } measure => Problems.Conflict($"The measure is already {measure.Status.ToString().ToLowerInvariant()}."),
        _ => new[] { change() },
    };
}
