using System.Text.Json.Serialization;
using Protection.Contracts.Triage;

namespace Protection.Intake.Cases;

public enum CaseStatus
{
    Open,
    Closed,
}

/// <summary>The furthest active stage; derived from what intake learned, never set by hand.</summary>
public enum CaseStage
{
    Intake,
    Triage,
    EmergencyAssistance,
    Relocation,
}

/// <summary>What another service told intake about a case.</summary>
public enum LearnedKind
{
    /// <summary>Triage took the case in (or took it in again): a risk, and a first-triage deadline.</summary>
    TriageStarted,

    /// <summary>The risk level in force changed; an assessment ends the wait for triage.</summary>
    RiskAssessed,

    /// <summary>A supervisor assigned the case to an officer.</summary>
    Assigned,

    Closed,

    /// <summary>The case was re-opened: it waits for triage again, until a new deadline.</summary>
    Reopened,

    GrantOpened,

    /// <summary>A grant request ended: rejected, withdrawn, or accounted for.</summary>
    GrantEnded,

    RelocationOpened,

    /// <summary>A relocation was closed (after the return or resettlement, or cancelled before the move).</summary>
    RelocationClosed,
}

/// <summary>
/// One fact another service published about a case, as intake noted it. Triage's facts carry
/// <see cref="TriageVersion"/> (the version of the case's triage stream after the change), which
/// orders them: they arrive on separate queues in no guaranteed order. Grants and relocations name
/// their <see cref="Subject"/>, because their starts and ends arrive in any order too.
/// </summary>
public sealed record LearnedFact(LearnedKind Kind, DateTimeOffset NotedAt)
{
    public long? TriageVersion { get; init; }

    public RiskLevel? Risk { get; init; }

    public RiskBasis? Basis { get; init; }

    /// <summary>The first-triage deadline the fact sets; null on a fact that ends the wait.</summary>
    public DateTimeOffset? DueAt { get; init; }

    public string? Officer { get; init; }

    /// <summary>The grant or relocation the fact is about.</summary>
    public Guid? Subject { get; init; }

    public static LearnedFact TriageStarted(RiskLevel risk, DateTimeOffset dueAt, long version, DateTimeOffset at) =>
        new(LearnedKind.TriageStarted, at) { Risk = risk, DueAt = dueAt, TriageVersion = version };

    public static LearnedFact RiskAssessed(RiskLevel level, RiskBasis basis, long version, DateTimeOffset at) =>
        new(LearnedKind.RiskAssessed, at) { Risk = level, Basis = basis, TriageVersion = version };

    public static LearnedFact Assigned(string officer, long version, DateTimeOffset at) =>
        new(LearnedKind.Assigned, at) { Officer = officer, TriageVersion = version };

    public static LearnedFact Closed(long version, DateTimeOffset at) =>
        new(LearnedKind.Closed, at) { TriageVersion = version };

    public static LearnedFact Reopened(DateTimeOffset dueAt, long version, DateTimeOffset at) =>
        new(LearnedKind.Reopened, at) { DueAt = dueAt, TriageVersion = version };

    /// <summary>A grant or relocation opened or ended.</summary>
    public static LearnedFact About(LearnedKind kind, Guid subject, DateTimeOffset at) =>
        new(kind, at) { Subject = subject };

    /// <summary>The same fact, whenever it was noted.</summary>
    public bool SameAs(LearnedFact other) => this == other with { NotedAt = NotedAt };
}

/// <summary>What intake knew of a case from the other services at one moment.</summary>
public sealed record Learned(
    CaseStatus Status,
    CaseStage Stage,
    RiskLevel? Risk,
    string? AssignedTo,
    DateTimeOffset? TriageDueAt,
    int OpenGrants,
    int OpenRelocations)
{
    /// <summary>
    /// Folds <paramref name="facts"/> (in the order intake noted them) into the values in force.
    /// Pure and independent of arrival order: an older triage fact never overwrites a newer one,
    /// and a grant or relocation ended before intake heard it start stays ended.
    /// </summary>
    public static Learned From(IEnumerable<LearnedFact> facts)
    {
        var noted = facts as IReadOnlyCollection<LearnedFact> ?? facts.ToArray();
        var openGrants = StillOpen(noted, LearnedKind.GrantOpened, LearnedKind.GrantEnded);
        var openRelocations = StillOpen(noted, LearnedKind.RelocationOpened, LearnedKind.RelocationClosed);
        var stage = openRelocations > 0 ? CaseStage.Relocation
            : openGrants > 0 ? CaseStage.EmergencyAssistance
            : noted.Any(f => f.TriageVersion is not null) ? CaseStage.Triage
            : CaseStage.Intake;
        return new Learned(
            Newest(noted, f => f.Kind is LearnedKind.Closed or LearnedKind.Reopened)?.Kind is LearnedKind.Closed
                ? CaseStatus.Closed
                : CaseStatus.Open,
            stage,
            Newest(noted, f => f.Kind is LearnedKind.TriageStarted or LearnedKind.RiskAssessed)?.Risk,
            Newest(noted, f => f.Kind is LearnedKind.Assigned)?.Officer,
            Newest(noted, SetsDeadline)?.DueAt,
            openGrants,
            openRelocations);
    }

    /// <summary>
    /// The ordering rule: of the facts that set a value, the one with the highest triage version
    /// holds, whenever it arrived (among facts of one version, the first noted).
    /// </summary>
    private static LearnedFact? Newest(IEnumerable<LearnedFact> facts, Func<LearnedFact, bool> sets) =>
        facts.Where(sets).MaxBy(f => f.TriageVersion);

    private static bool SetsDeadline(LearnedFact fact) => fact.Kind switch
    {
        LearnedKind.TriageStarted or LearnedKind.Reopened or LearnedKind.Closed => true,
        LearnedKind.RiskAssessed => fact.Basis == RiskBasis.Assessment,
        _ => false,
    };

    /// <summary>Kept as sets by id: an end that arrived before its start still ends it.</summary>
    private static int StillOpen(IEnumerable<LearnedFact> facts, LearnedKind opened, LearnedKind ended)
    {
        var ends = facts.Where(f => f.Kind == ended).Select(f => f.Subject).ToHashSet();
        return facts.Where(f => f.Kind == opened).Select(f => f.Subject).Distinct().Count(s => !ends.Contains(s));
    }
}

/// <summary>
/// What intake learned about a case from triage, emergency assistance and relocation: a document
/// (id = the case's id) that the consumers of their events feed, kept apart from the case's stream
/// so that the stream holds intake's own decisions only. It keeps the facts, so the case file and
/// the audit can show what intake knew at a moment, and the values in force, for the case list.
/// </summary>
/// <remarks>
/// Written with optimistic concurrency: two consumers that learn at once do not overwrite each other.
/// </remarks>
public sealed class CaseProgress
{
    public Guid Id { get; init; }

    /// <summary>The facts in the order intake noted them.</summary>
    public IReadOnlyList<LearnedFact> Facts { get; init; } = [];

    [JsonIgnore]
    public Learned Now => field ??= Learned.From(Facts);

    // The values in force, stored beside the facts (Marten duplicates them into columns) so the case
    // list filters and pages on them in one query.
    public CaseStage Stage => Now.Stage;

    public CaseStatus Status => Now.Status;

    public RiskLevel? Risk => Now.Risk;

    public string? AssignedTo => Now.AssignedTo;

    public DateTimeOffset? TriageDueAt => Now.TriageDueAt;

    /// <summary>Nothing learned yet: a case intake just opened.</summary>
    public static CaseProgress Of(Guid caseId) => new() { Id = caseId };

    /// <summary>What intake knew at <paramref name="moment"/> (now when null): the facts noted by then.</summary>
    public Learned AsOf(DateTimeOffset? moment) =>
        moment is { } then ? Learned.From(Facts.Where(f => f.NotedAt <= then)) : Now;

    /// <summary>The progress with <paramref name="fact"/> learned; the same fact again changes nothing.</summary>
    public CaseProgress Learn(LearnedFact fact) =>
        Facts.Any(fact.SameAs) ? this : new CaseProgress { Id = Id, Facts = [.. Facts, fact] };
}
