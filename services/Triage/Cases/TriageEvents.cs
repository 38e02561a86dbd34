using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.PersonalData;
using Protection.Triage.Risk;
using Published = Protection.Contracts.Triage;

namespace Protection.Triage.Cases;

// Triage's own events, stored in its Marten stream (one stream per case, keyed by the case id). Each
// says, in one place, what it does to the case (Apply), the auditor's line (Describe: levels, rules,
// dates and user ids, never free text) and what other services hear of it (Published). Free text
// written by staff (notes, reasons) may name a defender or where they are: it is stored only sealed
// with the case's key (SealedData), opened for the read model, and reads "[erased]" once erasure
// destroyed that key. The published integration events carry none of it.
// An event record holds stored data only: the hash chain is checked against its serialized form.

/// <summary>
/// Triage took in a case that intake opened: preliminary risk from its threats and a first-triage deadline.
/// </summary>
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
    DateTimeOffset DueAt) : IStartOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Start() => new TriageCase(
        CaseId,
        Reference,
        Country,
        OpenedBy,
        OpenedAt,
        Threats,
        PeopleAtRisk,
        TriageStatus.Open,
        new CurrentRisk(Preliminary.Level, RiskBasis.Preliminary, Preliminary.Reasons, "system", OpenedAt),
        [new RiskChange(Preliminary.Level, RiskBasis.Preliminary, "system", OpenedAt, null, null)],
        Override: null,
        Assessment: null,
        AssignedTo: null,
        AwaitingTriage: true,
        TriageStartedAt: OpenedAt,
        TriageDueAt: DueAt,
        OverdueFlagged: false,
        Measures: [],
        Outcome: null,
        LastChangedAt: OpenedAt).Derive();

    public string Describe() =>
        $"Taken into triage: preliminary risk {Preliminary.Level} ({Rules.Of(Preliminary)}); "
        + $"first triage due {DueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
    [
        new TriageStarted(CaseId, after.Reference, Preliminary.Level, DueAt, version, metadata),
        new Published.RiskAssessed(
            CaseId, after.Reference, Preliminary.Level, null, RiskBasis.Preliminary, Preliminary.RuleNames, version,
            metadata.Another()),
    ];
}

/// <summary>
/// Intake reported another threat; <see cref="Preliminary"/> is the threats-only risk with it included.
/// </summary>
public sealed record ThreatAdded(Guid CaseId, ThreatSummary Threat, RiskResult Preliminary, DateTimeOffset At)
    : IEventOf<TriageCase>
{
    public TriageCase Apply(TriageCase state) =>
        state with { Threats = [.. state.Threats, Threat], LastChangedAt = At };

    public string Describe() => $"New threat considered ({Threat.Type}); threats alone give {Preliminary.Level}";
}

/// <summary>A new threat raised the level in force. A level is never lowered this way.</summary>
public sealed record RiskEscalated(Guid CaseId, RiskLevel From, RiskLevel To, RiskResult Result, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) => (state with
    {
        Risk = new CurrentRisk(To, RiskBasis.Escalation, Result.Reasons, "system", At),
        RiskHistory = [.. state.RiskHistory, new RiskChange(To, RiskBasis.Escalation, "system", At, null, null)],
        LastChangedAt = At,
    }).Derive();

    public string Describe() => $"Risk escalated {From} → {To} by a new threat ({Rules.Of(Result)})";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
    [
        new CaseEscalated(
            CaseId, after.Reference, From, To, Result.RuleNames, after.TriageDueAt ?? metadata.OccurredAt, version,
            metadata),
        new Published.RiskAssessed(
            CaseId, after.Reference, To, From, RiskBasis.Escalation, Result.RuleNames, version, metadata.Another()),
    ];
}

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
    DateTimeOffset At) : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state)
    {
        var noted = state with
        {
            RelocationAlerts =
                [.. state.RelocationAlerts, new RelocationAlertNote(RelocationId, Alert, CheckInDueAt, At)],
            LastChangedAt = At,
        };
        if (To <= From)
        {
            return noted;
        }

        IReadOnlyList<RiskReason> reasons = [Reason, .. state.Risk.Reasons.Select(r => r with { Decisive = false })];
        return (noted with
        {
            Risk = new CurrentRisk(To, RiskBasis.Escalation, reasons, "system", At),
            RiskHistory =
                [.. state.RiskHistory, new RiskChange(To, RiskBasis.Escalation, "system", At, null, Reason.Because)],
        }).Derive();
    }

    public string Describe() => $"Relocation alert ({Alert}) on relocation {RelocationId}: risk {From} → {To}";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata)
    {
        var dueAt = after.TriageDueAt ?? metadata.OccurredAt;
        yield return new CaseEscalated(CaseId, after.Reference, From, To, [Reason.Rule], dueAt, version, metadata);
        if (To > From)
        {
            yield return new Published.RiskAssessed(
                CaseId, after.Reference, To, From, RiskBasis.Escalation, [Reason.Rule], version, metadata.Another());
        }
    }
}

/// <summary>One relocation alert, as the case keeps it.</summary>
public sealed record RelocationAlertNote(
    Guid RelocationId, RelocationAlert Alert, DateTimeOffset? CheckInDueAt, DateTimeOffset At);

/// <summary>The case waits for an assessment until <see cref="DueAt"/>.</summary>
public sealed record TriageDeadlineSet(
    Guid CaseId, DateTimeOffset DueAt, RiskLevel Level, TriageTrigger Trigger, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) => (state with
    {
        AwaitingTriage = true,
        TriageStartedAt = Trigger == TriageTrigger.RiskChanged ? state.TriageStartedAt : At,
        TriageDueAt = DueAt,
        OverdueFlagged = false,
        LastChangedAt = At,
    }).Derive();

    public string Describe() => $"Waits for an assessment until {DueAt:u} ({Trigger}, {Level})";

    /// <summary>A re-opened case is announced by its re-opening (<see cref="CaseReopenedForTriage"/>).</summary>
    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        Trigger == TriageTrigger.Reopened
            ? []
            : [new TriageStarted(CaseId, after.Reference, Level, DueAt, version, metadata)];
}

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
    DateTimeOffset At) : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state)
    {
        var overrideStands = Level != Computed.Level; // the decision kept a supervisor's higher level
        var reasons = overrideStands
            ?
            [
                TriageCase.OverrideReason(state.Override!.Level),
                .. Computed.Reasons.Select(r => r with { Decisive = false }),
            ]
            : Computed.Reasons;
        var change = new RiskChange(Level, RiskBasis.Assessment, AssessedBy, At, null, null);
        return (state with
        {
            Risk = new CurrentRisk(Level, RiskBasis.Assessment, reasons, AssessedBy, At),
            RiskHistory = [.. state.RiskHistory, change],
            Override = overrideStands ? state.Override : null,
            Assessment = new LastAssessment(Scores, Notes, Computed, AssessedBy, At),
            AwaitingTriage = false,
            TriageDueAt = null,
            OverdueFlagged = false,
            LastChangedAt = At,
        }).Derive();
    }

    public string Describe() =>
        $"Risk assessed by {AssessedBy}: {Level} "
        + $"(computed {Computed.Level}: {Rules.Of(Computed)}; was {PreviousLevel})";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
    [
        new Published.RiskAssessed(
            CaseId, after.Reference, Level, PreviousLevel, RiskBasis.Assessment,
            after.Risk.Reasons.Select(r => r.Rule).ToArray(), version, metadata),
    ];
}

/// <summary>A supervisor set the level by hand; <see cref="Reason"/> is sealed.</summary>
public sealed record RiskOverridden(
    Guid CaseId, RiskLevel From, RiskLevel To, SealedData Reason, string By, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) => (state with
    {
        Risk = new CurrentRisk(To, RiskBasis.Override, [TriageCase.OverrideReason(To)], By, At),
        RiskHistory = [.. state.RiskHistory, new RiskChange(To, RiskBasis.Override, By, At, Reason, null)],
        Override = new SupervisorOverride(To, Reason, By, At),
        LastChangedAt = At,
    }).Derive();

    public string Describe() => $"Risk overridden by {By}: {From} → {To} (reason recorded)";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
    [
        new Published.RiskAssessed(
            CaseId, after.Reference, To, From, RiskBasis.Override, [TriageCase.OverrideRule], version, metadata),
    ];
}

public sealed record OfficerAssigned(Guid CaseId, string Officer, string? Previous, string By, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) => (state with { AssignedTo = Officer, LastChangedAt = At }).Derive();

    public string Describe() =>
        $"Assigned to {Officer} by {By}" + (Previous is null ? string.Empty : $" (was {Previous})");

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        [new CaseAssigned(CaseId, after.Reference, Officer, Previous, version, metadata)];
}

public sealed record MeasureAdded(
    Guid CaseId,
    Guid MeasureId,
    FrameworkArea Area,
    string Type,
    string Owner,
    DateOnly DueOn,
    string By,
    DateTimeOffset At) : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) =>
        state.WithNewMeasure(new Measure(MeasureId, Area, Type, Owner, DueOn, MeasureStatus.Open, null, By, At), At);

    public string Describe() => $"Measure {Type} added ({Area}), owner {Owner}, due {DueOn:yyyy-MM-dd}";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        [after.PlanUpdated(MeasureId, MeasureChange.Added, version, metadata)];
}

public sealed record MeasureCompleted(Guid CaseId, Guid MeasureId, string By, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) =>
        state.WithMeasure(MeasureId, m => m with { Status = MeasureStatus.Completed }, At);

    public string Describe() => $"Measure {MeasureId} completed by {By}";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        [after.PlanUpdated(MeasureId, MeasureChange.Completed, version, metadata)];
}

/// <summary>A measure was cancelled; <see cref="Reason"/> is sealed.</summary>
public sealed record MeasureCancelled(Guid CaseId, Guid MeasureId, SealedData Reason, string By, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) =>
        state.WithMeasure(MeasureId, m => m with { Status = MeasureStatus.Cancelled, CancelReason = Reason }, At);

    public string Describe() => $"Measure {MeasureId} cancelled by {By} (reason recorded)";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        [after.PlanUpdated(MeasureId, MeasureChange.Cancelled, version, metadata)];
}

/// <summary>The deadline <see cref="DueAt"/> passed without an assessment; recorded once per deadline.</summary>
public sealed record TriageOverdueFlagged(Guid CaseId, DateTimeOffset DueAt, DateTimeOffset DetectedAt)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) => state with { OverdueFlagged = true };

    public string Describe() => $"First triage overdue: it was due {DueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        [new TriageOverdue(CaseId, after.Reference, after.Risk.Level, DueAt, after.AssignedTo, version, metadata)];
}

/// <summary>
/// The case was closed with an outcome; the officer's <see cref="Note"/>, if any, is sealed. Stored as
/// <c>case_closed</c>.
/// </summary>
public sealed record CaseClosedWithOutcome(
    Guid CaseId, CaseOutcome Outcome, SealedData? Note, string By, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) => (state with
    {
        Status = TriageStatus.Closed,
        Outcome = Outcome,
        AwaitingTriage = false,
        TriageDueAt = null,
        OverdueFlagged = false,
        LastChangedAt = At,
    }).Derive();

    public string Describe() => $"Case closed by {By}: {Outcome}";

    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
        [new Published.CaseClosed(CaseId, after.Reference, Outcome, version, metadata)];
}

/// <summary>
/// The case was re-opened: by an officer, whose <see cref="Reason"/> is sealed, or by the system (a
/// relocation alert on a closed case), whose reason is the rule's own words in <see cref="SystemReason"/>
/// (no personal data) and <see cref="Reason"/> null. Stored as <c>case_reopened</c>.
/// </summary>
public sealed record CaseReopenedForTriage(
    Guid CaseId, SealedData? Reason, string? SystemReason, string By, DateTimeOffset At)
    : IEventOf<TriageCase>, IPublishedAs<TriageCase>
{
    public TriageCase Apply(TriageCase state) =>
        (state with { Status = TriageStatus.Open, Outcome = null, LastChangedAt = At }).Derive();

    public string Describe() => $"Case re-opened by {By} (reason recorded)";

    /// <summary>
    /// With the deadline set with the re-opening: <paramref name="after"/> is the case after every event
    /// decided with it.
    /// </summary>
    public IEnumerable<IIntegrationEvent> Published(TriageCase after, long version, EventMetadata metadata) =>
    [
        new Published.CaseReopened(
            CaseId, after.Reference, after.Risk.Level, after.TriageDueAt ?? metadata.OccurredAt, version, metadata),
    ];
}

/// <summary>The rules behind a result, for an auditor's line.</summary>
file static class Rules
{
    public static string Of(RiskResult result) => string.Join(", ", result.RuleNames);
}
