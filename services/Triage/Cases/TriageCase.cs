using System.Collections.Immutable;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.PersonalData;
using Protection.Triage.Risk;

namespace Protection.Triage.Cases;

public enum TriageStatus
{
    Open,
    Closed,
}

public enum MeasureStatus
{
    Open,
    Completed,
    Cancelled,
}

/// <summary>A protection-plan measure; <see cref="CancelReason"/> is sealed.</summary>
public sealed record Measure(
    Guid Id,
    FrameworkArea Area,
    string Type,
    string Owner,
    DateOnly DueOn,
    MeasureStatus Status,
    SealedData? CancelReason,
    string AddedBy,
    DateTimeOffset AddedAt);

/// <summary>The level in force and why.</summary>
public sealed record CurrentRisk(
    RiskLevel Level, RiskBasis Basis, IReadOnlyList<RiskReason> Reasons, string SetBy, DateTimeOffset SetAt);

/// <summary>
/// One change of the level in force, for the case's risk history: a supervisor's sealed
/// <see cref="Reason"/>, or the system's own words in <see cref="SystemReason"/> (no personal data).
/// </summary>
public sealed record RiskChange(
    RiskLevel Level, RiskBasis Basis, string By, DateTimeOffset At, SealedData? Reason, string? SystemReason);

/// <summary>A supervisor's override in force; <see cref="Reason"/> is sealed.</summary>
public sealed record SupervisorOverride(RiskLevel Level, SealedData Reason, string By, DateTimeOffset At);

/// <summary>The last assessment; its <see cref="Notes"/> are sealed.</summary>
public sealed record LastAssessment(
    DimensionScores Scores, SealedNotes? Notes, RiskResult Computed, string By, DateTimeOffset At);

/// <summary>
/// A case as triage knows it: decision state and read model in one, projected inline (an officer
/// reads their own write at once, and the queue is a query over these documents). Its events
/// (<see cref="CaseTakenIn"/> and those after it) apply themselves.
/// </summary>
public sealed record TriageCase(
    Guid Id,
    string Reference,
    string Country,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    IReadOnlyList<ThreatSummary> Threats,
    int PeopleAtRisk,
    TriageStatus Status,
    CurrentRisk Risk,
    IReadOnlyList<RiskChange> RiskHistory,
    SupervisorOverride? Override,
    LastAssessment? Assessment,
    string? AssignedTo,
    bool AwaitingTriage,
    DateTimeOffset TriageStartedAt,
    DateTimeOffset? TriageDueAt,
    bool OverdueFlagged,
    IReadOnlyList<Measure> Measures,
    CaseOutcome? Outcome,
    DateTimeOffset LastChangedAt)
{
    /// <summary>The rule name of a supervisor's override among the risk reasons.</summary>
    public const string OverrideRule = "supervisor-override";

    /// <summary>Missed and emergency check-ins reported by the relocation service, oldest first.</summary>
    public IReadOnlyList<RelocationAlertNote> RelocationAlerts { get; init; } = [];

    /// <summary>
    /// The stream version this state was built from; the ETag, and the <c>TriageVersion</c> of
    /// published events.
    /// </summary>
    public long Version { get; set; }

    /// <summary>
    /// The officer responsible: the assignee, or the officer who opened the case until someone is assigned.
    /// </summary>
    public string ResponsibleOfficer { get; init; } = OpenedBy;

    /// <summary>
    /// What the queue sorts by: the triage deadline while awaiting assessment, otherwise the next open
    /// measure's due time.
    /// </summary>
    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>The case after <paramref name="events"/>, each applying itself.</summary>
    public TriageCase After(IEnumerable<object> events) =>
        events.Aggregate(this, (state, e) => ((IEventOf<TriageCase>)e).Apply(state));

    public Measure? FindMeasure(Guid measureId) => Measures.FirstOrDefault(m => m.Id == measureId);

    /// <summary>
    /// Open and completed measures per framework area, every area listed (an empty area is a gap in
    /// the plan).
    /// </summary>
    public IReadOnlyList<AreaCoverage> Coverage() => Enum.GetValues<FrameworkArea>()
        .Select(area => new AreaCoverage(
            area,
            Measures.Count(m => m.Area == area && m.Status == MeasureStatus.Open),
            Measures.Count(m => m.Area == area && m.Status == MeasureStatus.Completed)))
        .ToArray();

    /// <summary>
    /// What other services hear when a measure of the plan changed: the measure and the plan's coverage.
    /// </summary>
    public ProtectionPlanUpdated PlanUpdated(Guid measureId, MeasureChange change, long version, EventMetadata metadata)
    {
        var measure = FindMeasure(measureId)!;
        return new ProtectionPlanUpdated(
            Id, Reference, measure.Id, measure.Area, measure.Type, change, measure.DueOn, Coverage(), version,
            metadata);
    }

    /// <summary>
    /// Why a supervisor's level is in force, as the case keeps it: without the supervisor's words,
    /// which stay sealed in <see cref="Override"/> and are added when the case is read.
    /// </summary>
    public static RiskReason OverrideReason(RiskLevel level) =>
        new(OverrideRule, level, OverrideBecause(level, null), [], true);

    /// <summary>
    /// The override reason's text: with the supervisor's (opened) reason for a reader, without it in the
    /// stored state.
    /// </summary>
    public static string OverrideBecause(RiskLevel level, string? reason) => reason is null
        ? $"A supervisor set the level to {level}."
        : $"A supervisor set the level to {level}: {reason}";

    /// <summary>When a measure due on a day is late: after the end of that day (UTC).</summary>
    public static DateTimeOffset EndOf(DateOnly day) =>
        new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <remarks>
    /// In time and memory per event, this does not grow with the plan: the measures are an immutable
    /// list that shares its nodes with the previous state (an array copied per event made folding
    /// N measures cost N²), and a new open measure can only bring the next due time forward, so the
    /// open measures are not scanned again.
    /// </remarks>
    internal TriageCase WithNewMeasure(Measure measure, DateTimeOffset at) => this with
    {
        Measures = Immutable(Measures).Add(measure),
        NextDueAt = Status == TriageStatus.Closed || AwaitingTriage
            ? NextDueAt
            : Earliest(NextDueAt, EndOf(measure.DueOn)),
        LastChangedAt = at,
    };

    internal TriageCase WithMeasure(Guid measureId, Func<Measure, Measure> change, DateTimeOffset at)
    {
        var measures = Immutable(Measures);
        var index = measures.FindIndex(m => m.Id == measureId);
        return (this with
        {
            Measures = index < 0 ? measures : measures.SetItem(index, change(measures[index])),
            LastChangedAt = at,
        }).Derive();
    }

    /// <summary>What follows from the rest: who is responsible, and what the queue sorts by.</summary>
    internal TriageCase Derive() => this with
    {
        ResponsibleOfficer = AssignedTo ?? OpenedBy,
        NextDueAt = Status == TriageStatus.Closed
            ? null
            : AwaitingTriage
                ? TriageDueAt
                : Measures
                    .Where(m => m.Status == MeasureStatus.Open)
                    .Select(m => (DateTimeOffset?)EndOf(m.DueOn))
                    .Min(),
    };

    /// <summary>
    /// The list itself when it is already immutable (folding in memory); a copy once after it was read
    /// from a stored document.
    /// </summary>
    private static ImmutableList<Measure> Immutable(IReadOnlyList<Measure> measures) =>
        measures as ImmutableList<Measure> ?? ImmutableList.CreateRange(measures);

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } known && known < candidate ? known : candidate;
}
