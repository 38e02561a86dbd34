using MassTransit;

namespace Protection.Contracts.Triage;

// Integration events published by the triage service. Each carries TriageVersion, the version of the
// case's triage stream after the change: consumers receive events of different types on different
// queues, in no guaranteed order, and keep a fact only when it is newer than the one they hold.
// None carries free text (assessment notes, reasons): those stay in the triage service.

/// <summary>
/// Triage took in a case (or took it in again after a new threat): it is in the queue with a deadline.
/// Version 1.
/// </summary>
[EntityName("protection.triage.triage-started.v1")]
[MessageUrn("protection:triage:triage-started:v1")]
public sealed record TriageStarted(
    Guid CaseId,
    string CaseReference,
    RiskLevel Risk,
    DateTimeOffset DueAt,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The case's risk level in force changed or was confirmed; <see cref="Rules"/> names the rules that
/// produced it. Version 1.
/// </summary>
[EntityName("protection.triage.risk-assessed.v1")]
[MessageUrn("protection:triage:risk-assessed:v1")]
public sealed record RiskAssessed(
    Guid CaseId,
    string CaseReference,
    RiskLevel Level,
    RiskLevel? PreviousLevel,
    RiskBasis Basis,
    IReadOnlyList<string> Rules,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// A new threat raised the case's risk level, or a relocation alert (missed or emergency check-in)
/// raised it or put the case back in the queue (<see cref="From"/> may equal <see cref="To"/>).
/// Version 1.
/// </summary>
[EntityName("protection.triage.case-escalated.v1")]
[MessageUrn("protection:triage:case-escalated:v1")]
public sealed record CaseEscalated(
    Guid CaseId,
    string CaseReference,
    RiskLevel From,
    RiskLevel To,
    IReadOnlyList<string> Rules,
    DateTimeOffset DueAt,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>A supervisor assigned the case to an officer (a pseudonymous staff id). Version 1.</summary>
[EntityName("protection.triage.case-assigned.v1")]
[MessageUrn("protection:triage:case-assigned:v1")]
public sealed record CaseAssigned(
    Guid CaseId,
    string CaseReference,
    string Officer,
    string? PreviousOfficer,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>Open measures of one framework area, and how many were completed.</summary>
public sealed record AreaCoverage(FrameworkArea Area, int Open, int Completed);

/// <summary>
/// A measure of the protection plan was added, completed or cancelled; <see cref="Coverage"/> is the
/// plan afterwards. Version 1.
/// </summary>
[EntityName("protection.triage.protection-plan-updated.v1")]
[MessageUrn("protection:triage:protection-plan-updated:v1")]
public sealed record ProtectionPlanUpdated(
    Guid CaseId,
    string CaseReference,
    Guid MeasureId,
    FrameworkArea Area,
    string MeasureType,
    MeasureChange Change,
    DateOnly DueOn,
    IReadOnlyList<AreaCoverage> Coverage,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>The first-triage deadline passed without an assessment. Published once per deadline. Version 1.</summary>
[EntityName("protection.triage.triage-overdue.v1")]
[MessageUrn("protection:triage:triage-overdue:v1")]
public sealed record TriageOverdue(
    Guid CaseId,
    string CaseReference,
    RiskLevel Risk,
    DateTimeOffset DueAt,
    string? AssignedTo,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>The case was closed with an outcome. Version 1.</summary>
[EntityName("protection.triage.case-closed.v1")]
[MessageUrn("protection:triage:case-closed:v1")]
public sealed record CaseClosed(
    Guid CaseId,
    string CaseReference,
    CaseOutcome Outcome,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>A closed case was re-opened; it is back in the triage queue with a new deadline. Version 1.</summary>
[EntityName("protection.triage.case-reopened.v1")]
[MessageUrn("protection:triage:case-reopened:v1")]
public sealed record CaseReopened(
    Guid CaseId,
    string CaseReference,
    RiskLevel Risk,
    DateTimeOffset DueAt,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The case became critical: triage recommends a relocation. The relocation service records the
/// recommendation; an officer decides and requests one (a move needs the defender's consent). Version 1.
/// </summary>
[EntityName("protection.triage.relocation-recommended.v1")]
[MessageUrn("protection:triage:relocation-recommended:v1")]
public sealed record RelocationRecommended(
    Guid CaseId,
    string CaseReference,
    RiskLevel Risk,
    IReadOnlyList<string> Rules,
    long TriageVersion,
    EventMetadata Metadata) : IIntegrationEvent;
