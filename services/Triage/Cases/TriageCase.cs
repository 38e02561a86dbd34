using System.Collections.Immutable;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.PersonalData;
using Protection.Triage.Risk;

namespace Protection.Triage.Cases;

// Triage's own events, stored in its Marten stream (one stream per case, keyed by the case id).
// Free text written by staff (notes, reasons) may name a defender or where they are: it is stored
// only sealed with the case's key (SealedData), opened for the read model, and reads "[erased]" once
// erasure destroyed that key. The published integration events carry none of it.

/// <summary>Triage took in a case that intake opened: preliminary risk from its threats and a first-triage deadline.</summary>
public sealed record CaseTakenIn(
    Guid CaseId,
    string Reference,
    string Country,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    IReadOnlyList<ThreatSummary> Threats,
    int PeopleAtRisk,
    ConsentScopes Consent,
    RiskResult Preliminary,
    DateTimeOffset DueAt);

/// <summary>Intake reported another threat; <see cref="Preliminary"/> is the threats-only risk with it included.</summary>
public sealed record ThreatAdded(Guid CaseId, ThreatSummary Threat, RiskResult Preliminary, DateTimeOffset At);

/// <summary>A new threat raised the level in force. A level is never lowered this way.</summary>
public sealed record RiskEscalated(Guid CaseId, RiskLevel From, RiskLevel To, RiskResult Result, DateTimeOffset At);

/// <summary>Why the case (again) waits for an assessment.</summary>
public enum TriageTrigger
{
    NewThreat,
    Reopened,
    RiskChanged,
    RelocationAlert,
}

/// <summary>What the relocation service reported about a defender who is away.</summary>
public enum RelocationAlert
{
    CheckInMissed,
    EmergencyCheckIn,
}

/// <summary>
/// A relocated defender missed a check-in (due at <see cref="CheckInDueAt"/>) or checked in with an
/// emergency: the level in force is raised to at least the configured one (<see cref="To"/>) and the
/// case goes back in the queue. <see cref="Reason"/> explains it in the case's risk reasons.
/// </summary>
public sealed record RelocationAlertRaised(
    Guid CaseId,
    Guid RelocationId,
    RelocationAlert Alert,
    DateTimeOffset? CheckInDueAt,
    RiskLevel From,
    RiskLevel To,
    RiskReason Reason,
    DateTimeOffset At);

/// <summary>One relocation alert, as the case keeps it.</summary>
public sealed record RelocationAlertNote(Guid RelocationId, RelocationAlert Alert, DateTimeOffset? CheckInDueAt, DateTimeOffset At);

/// <summary>The case waits for an assessment until <see cref="DueAt"/>.</summary>
public sealed record TriageDeadlineSet(Guid CaseId, DateTimeOffset DueAt, RiskLevel Level, TriageTrigger Trigger, DateTimeOffset At);

/// <summary>
/// An officer scored the five dimensions. <see cref="Level"/> is the level in force afterwards (never
/// below a supervisor's override). Stored as <c>risk_assessed</c>, its name before the contract of
/// that name existed.
/// </summary>
public sealed record DimensionsScored(
    Guid CaseId,
    DimensionScores Scores,
    SealedNotes? Notes,
    RiskResult Computed,
    RiskLevel Level,
    RiskLevel PreviousLevel,
    string AssessedBy,
    DateTimeOffset At);

/// <summary>A supervisor set the level by hand; <see cref="Reason"/> is sealed.</summary>
public sealed record RiskOverridden(Guid CaseId, RiskLevel From, RiskLevel To, SealedData Reason, string By, DateTimeOffset At);

public sealed record OfficerAssigned(Guid CaseId, string Officer, string? Previous, string By, DateTimeOffset At);

public sealed record MeasureAdded(Guid CaseId, Guid MeasureId, FrameworkArea Area, string Type, string Owner, DateOnly DueOn, string By, DateTimeOffset At);

public sealed record MeasureCompleted(Guid CaseId, Guid MeasureId, string By, DateTimeOffset At);

/// <summary>A measure was cancelled; <see cref="Reason"/> is sealed.</summary>
public sealed record MeasureCancelled(Guid CaseId, Guid MeasureId, SealedData Reason, string By, DateTimeOffset At);

/// <summary>The deadline <see cref="DueAt"/> passed without an assessment; recorded once per deadline.</summary>
public sealed record TriageOverdueFlagged(Guid CaseId, DateTimeOffset DueAt, DateTimeOffset DetectedAt);

/// <summary>
/// The case was closed with an outcome; the officer's <see cref="Note"/>, if any, is sealed. Stored as
/// <c>case_closed</c>.
/// </summary>
public sealed record CaseClosedWithOutcome(Guid CaseId, CaseOutcome Outcome, SealedData? Note, string By, DateTimeOffset At);

/// <summary>
/// The case was re-opened: by an officer, whose <see cref="Reason"/> is sealed, or by the system (a
/// relocation alert on a closed case), whose reason is the rule's own words in <see cref="SystemReason"/>
/// (no personal data) and <see cref="Reason"/> null. Stored as <c>case_reopened</c>.
/// </summary>
public sealed record CaseReopenedForTriage(Guid CaseId, SealedData? Reason, string? SystemReason, string By, DateTimeOffset At);

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
public sealed record Measure(Guid Id, FrameworkArea Area, string Type, string Owner, DateOnly DueOn, MeasureStatus Status, SealedData? CancelReason, string AddedBy, DateTimeOffset AddedAt);

/// <summary>The level in force and why.</summary>
public sealed record CurrentRisk(RiskLevel Level, RiskBasis Basis, IReadOnlyList<RiskReason> Reasons, string SetBy, DateTimeOffset SetAt);

/// <summary>
/// One change of the level in force, for the case's risk history: a supervisor's sealed
/// <see cref="Reason"/>, or the system's own words in <see cref="SystemReason"/> (no personal data).
/// </summary>
public sealed record RiskChange(RiskLevel Level, RiskBasis Basis, string By, DateTimeOffset At, SealedData? Reason, string? SystemReason);

/// <summary>A supervisor's override in force; <see cref="Reason"/> is sealed.</summary>
public sealed record SupervisorOverride(RiskLevel Level, SealedData Reason, string By, DateTimeOffset At);

/// <summary>The last assessment; its <see cref="Notes"/> are sealed.</summary>
public sealed record LastAssessment(DimensionScores Scores, SealedNotes? Notes, RiskResult Computed, string By, DateTimeOffset At);

/// <summary>
/// A case as triage knows it: decision state and read model in one, projected inline (an officer
/// reads their own write at once, and the queue is a query over these documents).
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

    /// <summary>The stream version this state was built from; the ETag, and the <c>TriageVersion</c> of published events.</summary>
    public long Version { get; set; }

    /// <summary>The officer responsible: the assignee, or the officer who opened the case until someone is assigned.</summary>
    public string ResponsibleOfficer { get; init; } = OpenedBy;

    /// <summary>What the queue sorts by: the triage deadline while awaiting assessment, otherwise the next open measure's due time.</summary>
    public DateTimeOffset? NextDueAt { get; init; }

    public static TriageCase Create(CaseTakenIn e) => new TriageCase(
        e.CaseId, e.Reference, e.Country, e.OpenedBy, e.OpenedAt, e.Threats, e.PeopleAtRisk,
        TriageStatus.Open,
        new CurrentRisk(e.Preliminary.Level, RiskBasis.Preliminary, e.Preliminary.Reasons, "system", e.OpenedAt),
        [new RiskChange(e.Preliminary.Level, RiskBasis.Preliminary, "system", e.OpenedAt, null, null)],
        Override: null,
        Assessment: null,
        AssignedTo: null,
        AwaitingTriage: true,
        TriageStartedAt: e.OpenedAt,
        TriageDueAt: e.DueAt,
        OverdueFlagged: false,
        Measures: [],
        Outcome: null,
        LastChangedAt: e.OpenedAt).Derive();

    public TriageCase Apply(ThreatAdded e) => this with { Threats = [.. Threats, e.Threat], LastChangedAt = e.At };

    public TriageCase Apply(RiskEscalated e) => (this with
    {
        Risk = new CurrentRisk(e.To, RiskBasis.Escalation, e.Result.Reasons, "system", e.At),
        RiskHistory = [.. RiskHistory, new RiskChange(e.To, RiskBasis.Escalation, "system", e.At, null, null)],
        LastChangedAt = e.At,
    }).Derive();

    public TriageCase Apply(RelocationAlertRaised e)
    {
        var noted = this with
        {
            RelocationAlerts = [.. RelocationAlerts, new RelocationAlertNote(e.RelocationId, e.Alert, e.CheckInDueAt, e.At)],
            LastChangedAt = e.At,
        };
        return e.To <= e.From
            ? noted
            : (noted with
            {
                Risk = new CurrentRisk(e.To, RiskBasis.Escalation, [e.Reason, .. Risk.Reasons.Select(r => r with { Decisive = false })], "system", e.At),
                RiskHistory = [.. RiskHistory, new RiskChange(e.To, RiskBasis.Escalation, "system", e.At, null, e.Reason.Because)],
            }).Derive();
    }

    public TriageCase Apply(TriageDeadlineSet e) => (this with
    {
        AwaitingTriage = true,
        TriageStartedAt = e.Trigger == TriageTrigger.RiskChanged ? TriageStartedAt : e.At,
        TriageDueAt = e.DueAt,
        OverdueFlagged = false,
        LastChangedAt = e.At,
    }).Derive();

    public TriageCase Apply(DimensionsScored e)
    {
        var overrideStands = e.Level != e.Computed.Level; // the decision kept a supervisor's higher level
        var reasons = overrideStands
            ? [OverrideReason(Override!.Level), .. e.Computed.Reasons.Select(r => r with { Decisive = false })]
            : e.Computed.Reasons;
        return (this with
        {
            Risk = new CurrentRisk(e.Level, RiskBasis.Assessment, reasons, e.AssessedBy, e.At),
            RiskHistory = [.. RiskHistory, new RiskChange(e.Level, RiskBasis.Assessment, e.AssessedBy, e.At, null, null)],
            Override = overrideStands ? Override : null,
            Assessment = new LastAssessment(e.Scores, e.Notes, e.Computed, e.AssessedBy, e.At),
            AwaitingTriage = false,
            TriageDueAt = null,
            OverdueFlagged = false,
            LastChangedAt = e.At,
        }).Derive();
    }

    public TriageCase Apply(RiskOverridden e) => (this with
    {
        Risk = new CurrentRisk(e.To, RiskBasis.Override, [OverrideReason(e.To)], e.By, e.At),
        RiskHistory = [.. RiskHistory, new RiskChange(e.To, RiskBasis.Override, e.By, e.At, e.Reason, null)],
        Override = new SupervisorOverride(e.To, e.Reason, e.By, e.At),
        LastChangedAt = e.At,
    }).Derive();

    public TriageCase Apply(OfficerAssigned e) => (this with { AssignedTo = e.Officer, LastChangedAt = e.At }).Derive();

    /// <remarks>
    /// In time and memory per event, this does not grow with the plan: the measures are an immutable
    /// list that shares its nodes with the previous state (an array copied per event made folding
    /// N measures cost N²), and a new open measure can only bring the next due time forward, so the
    /// open measures are not scanned again.
    /// </remarks>
    public TriageCase Apply(MeasureAdded e) => this with
    {
        Measures = Immutable(Measures).Add(new Measure(e.MeasureId, e.Area, e.Type, e.Owner, e.DueOn, MeasureStatus.Open, null, e.By, e.At)),
        NextDueAt = Status == TriageStatus.Closed || AwaitingTriage ? NextDueAt : Earliest(NextDueAt, EndOf(e.DueOn)),
        LastChangedAt = e.At,
    };

    public TriageCase Apply(MeasureCompleted e) => WithMeasure(e.MeasureId, m => m with { Status = MeasureStatus.Completed }, e.At);

    public TriageCase Apply(MeasureCancelled e) => WithMeasure(e.MeasureId, m => m with { Status = MeasureStatus.Cancelled, CancelReason = e.Reason }, e.At);

    public TriageCase Apply(TriageOverdueFlagged e) => this with { OverdueFlagged = true };

    public TriageCase Apply(CaseClosedWithOutcome e) => (this with
    {
        Status = TriageStatus.Closed,
        Outcome = e.Outcome,
        AwaitingTriage = false,
        TriageDueAt = null,
        OverdueFlagged = false,
        LastChangedAt = e.At,
    }).Derive();

    public TriageCase Apply(CaseReopenedForTriage e) => (this with { Status = TriageStatus.Open, Outcome = null, LastChangedAt = e.At }).Derive();

    public Measure? FindMeasure(Guid measureId) => Measures.FirstOrDefault(m => m.Id == measureId);

    /// <summary>
    /// Why a supervisor's level is in force, as the case keeps it: without the supervisor's words,
    /// which stay sealed in <see cref="Override"/> and are added when the case is read.
    /// </summary>
    public static RiskReason OverrideReason(RiskLevel level) => new(OverrideRule, level, OverrideBecause(level, null), [], true);

    /// <summary>The override reason's text: with the supervisor's (opened) reason for a reader, without it in the stored state.</summary>
    public static string OverrideBecause(RiskLevel level, string? reason) =>
        reason is null ? $"A supervisor set the level to {level}." : $"A supervisor set the level to {level}: {reason}";

    /// <summary>When a measure due on a day is late: after the end of that day (UTC).</summary>
    public static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private TriageCase WithMeasure(Guid measureId, Func<Measure, Measure> change, DateTimeOffset at)
    {
        var measures = Immutable(Measures);
        var index = measures.FindIndex(m => m.Id == measureId);
        return (this with
        {
            Measures = index < 0 ? measures : measures.SetItem(index, change(measures[index])),
            LastChangedAt = at,
        }).Derive();
    }

    /// <summary>The list itself when it is already immutable (folding in memory); a copy once after it was read from a stored document.</summary>
    private static ImmutableList<Measure> Immutable(IReadOnlyList<Measure> measures) =>
        measures as ImmutableList<Measure> ?? ImmutableList.CreateRange(measures);

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } known && known < candidate ? known : candidate;

    private TriageCase Derive() => this with
    {
        ResponsibleOfficer = AssignedTo ?? OpenedBy,
        NextDueAt = Status == TriageStatus.Closed
            ? null
            : AwaitingTriage
                ? TriageDueAt
                : Measures.Where(m => m.Status == MeasureStatus.Open).Select(m => (DateTimeOffset?)EndOf(m.DueOn)).Min(),
    };
}
