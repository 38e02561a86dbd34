using System.Text.Json.Serialization;
using MassTransit;

namespace Protection.Contracts.Assistance;

/// <summary>The eleven purpose categories of an emergency grant (after ProtectDefenders.eu).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GrantCategory>))]
public enum GrantCategory
{
    PhysicalSecurity,
    DigitalSecurity,
    Communications,
    SecurityTraining,
    SecureTransport,
    Legal,
    MedicalAndPsychosocial,
    HumanitarianAndFamilySupport,
    UrgentRelocation,
    UrgentMonitoringAndAdvocacy,
    Other,
}

// Integration events published by the emergency-assistance service. Amounts are in the fund's
// currency (ISO 4217). No free text (purpose, reasons, reports) travels: it stays in the service.

/// <summary>An officer asked for a grant; funders must decide by <see cref="DecisionDueAt"/>. Version 1.</summary>
[EntityName("protection.assistance.grant-requested.v1")]
[MessageUrn("protection:assistance:grant-requested:v1")]
public sealed record GrantRequested(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    Guid FundId,
    decimal Amount,
    string Currency,
    GrantCategory Category,
    int PeopleCovered,
    DateTimeOffset DecisionDueAt,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The grant has all the approvals it needs; <see cref="Amount"/> is reserved in the fund. Version 1.
/// </summary>
[EntityName("protection.assistance.grant-approved.v1")]
[MessageUrn("protection:assistance:grant-approved:v1")]
public sealed record GrantApproved(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    Guid FundId,
    decimal Amount,
    string Currency,
    GrantCategory Category,
    IReadOnlyList<string> Approvers,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>A funder rejected the grant (the reason stays in the service). Version 1.</summary>
[EntityName("protection.assistance.grant-rejected.v1")]
[MessageUrn("protection:assistance:grant-rejected:v1")]
public sealed record GrantRejected(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>The request was withdrawn before payment; any reservation was released. Version 1.</summary>
[EntityName("protection.assistance.grant-withdrawn.v1")]
[MessageUrn("protection:assistance:grant-withdrawn:v1")]
public sealed record GrantWithdrawn(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// A tranche was paid. <see cref="FullyDisbursed"/> when the whole approved amount is paid. Version 1.
/// </summary>
[EntityName("protection.assistance.grant-disbursed.v1")]
[MessageUrn("protection:assistance:grant-disbursed:v1")]
public sealed record GrantDisbursed(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    Guid FundId,
    GrantCategory Category,
    int Tranche,
    decimal Amount,
    string Currency,
    decimal TotalDisbursed,
    bool FullyDisbursed,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>The accountability report was submitted; the grant is closed. Version 1.</summary>
[EntityName("protection.assistance.grant-report-submitted.v1")]
[MessageUrn("protection:assistance:grant-report-submitted:v1")]
public sealed record GrantReportSubmitted(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>No decision by the deadline. Published once per grant. Version 1.</summary>
[EntityName("protection.assistance.grant-decision-overdue.v1")]
[MessageUrn("protection:assistance:grant-decision-overdue:v1")]
public sealed record GrantDecisionOverdue(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    DateTimeOffset DueAt,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>No accountability report by its due date. Published once per grant. Version 1.</summary>
[EntityName("protection.assistance.grant-report-overdue.v1")]
[MessageUrn("protection:assistance:grant-report-overdue:v1")]
public sealed record GrantReportOverdue(
    Guid CaseId,
    string CaseReference,
    Guid GrantId,
    DateTimeOffset DueAt,
    EventMetadata Metadata) : IIntegrationEvent;
