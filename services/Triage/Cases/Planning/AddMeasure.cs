using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.Time;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases.Planning;

public sealed record AddMeasureRequest
{
    /// <summary>One of ICAN's four framework areas.</summary>
    [Required]
    public FrameworkArea? Area { get; init; }

    /// <summary>
    /// What kind of measure, as a short kebab-case code (e.g. <c>safe-house</c>,
    /// <c>legal-accompaniment</c>, <c>digital-security-audit</c>).
    /// </summary>
    [Required]
    [RegularExpression(
        "^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Use a short kebab-case code, e.g. legal-accompaniment.")]
    [StringLength(60)]
    public string? Type { get; init; }

    /// <summary>
    /// Who carries it out: a staff user id or a partner organisation's code, never a defender's name.
    /// </summary>
    [Required]
    [RegularExpression(
        "^[A-Za-z0-9._:@-]{1,120}$", ErrorMessage = "Use a user id or partner code (letters, digits and . _ : @ -).")]
    public string? Owner { get; init; }

    [Required]
    public DateOnly? DueOn { get; init; }
}

public sealed record MeasureAddedResponse(Guid MeasureId, TriageView Case) : IVersioned
{
    // Not a member of the answer: the ETag, as for every answer with the case.
    long IVersioned.Version => Case.Version;
}

public static class AddMeasure
{
    /// <summary>
    /// A new measure is due from today (where it is earliest on Earth, so no officer's today is refused)
    /// to <see cref="DateBounds.MeasureHorizonYears"/> years ahead; null when the date is accepted.
    /// </summary>
    public static string? DueOnProblem(DateOnly dueOn, DateTimeOffset now)
    {
        var today = DateBounds.EarliestToday(now);
        var latest = DateBounds.LatestToday(now).AddYears(DateBounds.MeasureHorizonYears);
        if (dueOn < today)
        {
            return "A new measure cannot be due in the past.";
        }

        return dueOn > latest
            ? $"A measure is planned at most {DateBounds.MeasureHorizonYears} years ahead (until {latest:yyyy-MM-dd})."
            : null;
    }

    /// <summary>A measure is added to an open case's plan.</summary>
    public static Outcome<Decided> Decide(TriageCase @case, AddMeasureRequest request, string by, DateTimeOffset now) =>
        TriageDecisions.MustBeOpen(@case) is { } closed
            ? closed
            : new Decided([new MeasureAdded(
                @case.Id,
                Guid.CreateVersion7(),
                request.Area!.Value,
                request.Type!,
                request.Owner!,
                request.DueOn!.Value,
                by,
                now)]);

    /// <summary><c>POST /api/cases/{id}/plan/measures</c>: adds a measure to the protection plan.</summary>
    public static async Task<Results<Created<MeasureAddedResponse>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        AddMeasureRequest request,
        HttpContext http,
        CasePath cases,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // Before the case is loaded: a date no case can take is refused whoever asks.
        if (DueOnProblem(request.DueOn!.Value, clock.GetUtcNow()) is { } dueOn)
        {
            return UnprocessableProblem.For(
                new Dictionary<string, string[]> { ["dueOn"] = [dueOn] }, "The measure cannot be added.");
        }

        var added = await cases.RunAsync(
            http,
            id,
            Actor.Caseworker,
            seals: false,
            (@case, _, now) => Decide(@case, request, http.User.UserId(), now),
            (view, decided) => new MeasureAddedResponse(decided.Events.OfType<MeasureAdded>().Single().MeasureId, view),
            cancellationToken);
        return Answers.Created(http, added, _ => $"/api/cases/{id}/triage");
    }
}
