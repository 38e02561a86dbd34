using System.Text.Json.Serialization;
using MassTransit;

namespace Protection.Contracts.Relocation;

/// <summary>How far the defender moves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RelocationKind>))]
public enum RelocationKind
{
    /// <summary>A safe house in the defender's own country.</summary>
    InCountrySafeHouse,

    /// <summary>A neighbouring country of the region.</summary>
    Regional,

    /// <summary>Further away; needs a visa plan and a return strategy.</summary>
    International,
}

/// <summary>Why the defender moves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RelocationReason>))]
public enum RelocationReason
{
    IncreasedRisk,
    AnticipatedRisk,
    Respite,
}

/// <summary>The relocation lifecycle, in order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RelocationState>))]
public enum RelocationState
{
    Requested,
    Planned,
    Funded,
    InTransit,
    Arrived,
    Returned,
    Resettled,
    Closed,
}

/// <summary>What the defender reported at a check-in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckInStatus>))]
public enum CheckInStatus
{
    Safe,
    Concern,
    Emergency,
}

/// <summary>How a relocation ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RelocationOutcome>))]
public enum RelocationOutcome
{
    /// <summary>Closed before the defender moved.</summary>
    Cancelled,
    Returned,
    Resettled,
}

// Integration events published by the relocation service. Each carries RelocationVersion (the
// relocation stream's version after the change) and State, so a consumer keeps the newest fact
// whatever order the queues deliver. Destinations, host organisations, plans and notes are personal
// data: they stay sealed in the relocation service and never travel.

/// <summary>An officer requested a relocation for the case. Version 1.</summary>
[EntityName("protection.relocation.relocation-requested.v1")]
[MessageUrn("protection:relocation:relocation-requested:v1")]
public sealed record RelocationRequested(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    RelocationKind Kind,
    RelocationReason Reason,
    int People,
    bool WasRecommended,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The relocation moved from one state to another (planned, funded, departed, arrived, returned,
/// resettled). Version 1.
/// </summary>
[EntityName("protection.relocation.relocation-progressed.v1")]
[MessageUrn("protection:relocation:relocation-progressed:v1")]
public sealed record RelocationProgressed(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    RelocationState From,
    RelocationState State,
    DateOnly? StartOn,
    DateOnly? EndOn,
    DateTimeOffset? NextCheckInDueAt,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The defender checked in; an <see cref="CheckInStatus.Emergency"/> is published at once for triage to
/// escalate. Version 1.
/// </summary>
[EntityName("protection.relocation.check-in-recorded.v1")]
[MessageUrn("protection:relocation:check-in-recorded:v1")]
public sealed record CheckInRecorded(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    CheckInStatus Status,
    DateTimeOffset NextDueAt,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// A check-in due at <see cref="DueAt"/> did not come within the grace period. Published once per
/// deadline. Version 1.
/// </summary>
[EntityName("protection.relocation.check-in-missed.v1")]
[MessageUrn("protection:relocation:check-in-missed:v1")]
public sealed record CheckInMissed(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    DateTimeOffset DueAt,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>The stay was extended to <see cref="EndOn"/>. Version 1.</summary>
[EntityName("protection.relocation.stay-extended.v1")]
[MessageUrn("protection:relocation:stay-extended:v1")]
public sealed record StayExtended(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    DateOnly EndOn,
    int TotalDays,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The stay ends on <see cref="EndOn"/>, soon: plan the return or extend. Published once per end date.
/// Version 1.
/// </summary>
[EntityName("protection.relocation.stay-ending.v1")]
[MessageUrn("protection:relocation:stay-ending:v1")]
public sealed record StayEnding(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    DateOnly EndOn,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>The relocation is closed; the case is no longer in the relocation stage for it. Version 1.</summary>
[EntityName("protection.relocation.relocation-closed.v1")]
[MessageUrn("protection:relocation:relocation-closed:v1")]
public sealed record RelocationClosed(
    Guid CaseId,
    string CaseReference,
    Guid RelocationId,
    RelocationOutcome Outcome,
    long RelocationVersion,
    EventMetadata Metadata) : IIntegrationEvent;
