using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases.Reading;
using Protection.Triage.Risk;

namespace Protection.Triage.Cases.Assessing;

/// <summary>
/// Scores 0 (none) to 3 (extreme) for each <i>Secure, Here and Now</i> dimension; all five are required.
/// </summary>
public sealed record ScoresInput
{
    [Required, Range(0, 3)]
    public int? EmotionalCognitive { get; init; }

    [Required, Range(0, 3)]
    public int? Physical { get; init; }

    [Required, Range(0, 3)]
    public int? Spiritual { get; init; }

    [Required, Range(0, 3)]
    public int? Economic { get; init; }

    [Required, Range(0, 3)]
    public int? Political { get; init; }
}

/// <summary>
/// Observed indicators per dimension. Professional notes: no names, contacts or exact locations
/// (those belong in intake). Stored sealed with the case's key.
/// </summary>
public sealed record NotesInput
{
    [StringLength(2000)]
    public string? EmotionalCognitive { get; init; }

    [StringLength(2000)]
    public string? Physical { get; init; }

    [StringLength(2000)]
    public string? Spiritual { get; init; }

    [StringLength(2000)]
    public string? Economic { get; init; }

    [StringLength(2000)]
    public string? Political { get; init; }
}

public sealed record AssessmentRequest
{
    [Required]
    public ScoresInput? Scores { get; init; }

    public NotesInput? Notes { get; init; }
}

public static class AssessCase
{
    /// <summary>
    /// <c>POST /api/cases/{id}/assessment</c>: the case's officer (or a supervisor) scores the five
    /// dimensions; answers the level with the reasons that produced it.
    /// </summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id,
        AssessmentRequest request,
        HttpContext http,
        CasePath cases,
        TriageDecisions decisions,
        CancellationToken cancellationToken)
    {
        var s = request.Scores!;
        var scores = new DimensionScores(
            s.EmotionalCognitive!.Value, s.Physical!.Value, s.Spiritual!.Value, s.Economic!.Value, s.Political!.Value);
        var by = http.User.UserId();
        var n = request.Notes;
        var assessed = n is null
            ? await cases.RunAsync(http, id, Actor.Caseworker,
                (@case, now) => decisions.Assess(@case, scores, null, by, now), cancellationToken)
            : await cases.RunAsync(http, id, Actor.Caseworker, (@case, seal, now) =>
            {
                var notes = new DimensionNotes(n.EmotionalCognitive, n.Physical, n.Spiritual, n.Economic, n.Political);
                return decisions.Assess(@case, scores, SealedNotes.Seal(notes, seal), by, now);
            }, cancellationToken);
        return Answers.OkWithoutRules(http, assessed);
    }
}
