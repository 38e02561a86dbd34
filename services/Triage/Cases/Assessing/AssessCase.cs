using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.Triage.Cases;
using Protection.Triage.Reading;
using Protection.Triage.Risk;

namespace Protection.Triage.Assessing;

/// <summary>Scores 0 (none) to 3 (extreme) for each <i>Secure, Here and Now</i> dimension; all five are required.</summary>
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

/// <summary>Observed indicators per dimension. Professional notes: no names, contacts or exact locations (those belong in intake). Stored sealed with the case's key.</summary>
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

public sealed record OverrideRequest
{
    [Required]
    public RiskLevel? Level { get; init; }

    /// <summary>Why the rules' level is wrong for this case; kept (sealed) in the case's history.</summary>
    [Required, StringLength(2000, MinimumLength = 10, ErrorMessage = "Give the reason for the override (10 to 2000 characters).")]
    public string? Reason { get; init; }
}

public static class AssessCase
{
    /// <summary><c>POST /api/cases/{id}/assessment</c>: the case's officer (or a supervisor) scores the five dimensions; answers the level with the reasons that produced it.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Assess(
        Guid id, AssessmentRequest request, HttpContext http, IDocumentSession session, TriageDecisions decisions, TimeProvider clock, CancellationToken cancellationToken)
    {
        var s = request.Scores!;
        var scores = new DimensionScores(s.EmotionalCognitive!.Value, s.Physical!.Value, s.Spiritual!.Value, s.Economic!.Value, s.Political!.Value);
        var n = request.Notes;
        if (n is null)
        {
            return CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: true,
                (@case, now) => new object[] { decisions.Assess(@case, scores, null, http.User.UserId(), now) }, cancellationToken);
        }

        var notes = new DimensionNotes(n.EmotionalCognitive, n.Physical, n.Spiritual, n.Economic, n.Political);
        return CaseCommands.Execute(id, http, session, clock, Actor.Caseworker, mustBeOpen: true,
            (@case, seal, now) => new object[] { decisions.Assess(@case, scores, SealedNotes.Seal(notes, seal), http.User.UserId(), now) }, cancellationToken);
    }

    /// <summary><c>POST /api/cases/{id}/assessment/override</c>: a supervisor sets the level by hand, with a reason kept in the history.</summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Override(
        Guid id, OverrideRequest request, HttpContext http, IDocumentSession session, TriageDecisions decisions, TimeProvider clock, CancellationToken cancellationToken) =>
        CaseCommands.Execute(id, http, session, clock, Actor.Supervisor, mustBeOpen: true,
            (@case, seal, now) => decisions.Override(@case, request.Level!.Value, seal.Seal(request.Reason!), http.User.UserId(), now).ToArray(), cancellationToken);
}
