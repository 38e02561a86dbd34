using MassTransit;

namespace Protection.Contracts.Cases;

/// <summary>A new threat was reported on an existing case. Version 1.</summary>
[EntityName("protection.cases.threat-reported.v1")]
[MessageUrn("protection:cases:threat-reported:v1")]
public sealed record ThreatReported(
    Guid CaseId,
    string CaseReference,
    ThreatSummary Threat,
    EventMetadata Metadata) : IIntegrationEvent;
