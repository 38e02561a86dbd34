using MassTransit;

namespace Protection.Contracts.Cases;

/// <summary>Why an admin erased a case's personal data.</summary>
public enum ErasureBasis
{
    /// <summary>The defender asked for their data to be erased.</summary>
    DefenderRequest,

    /// <summary>The organisation's retention period ended.</summary>
    RetentionExpired,

    /// <summary>A lawful order required it.</summary>
    LegalObligation,

    /// <summary>
    /// Keeping the data puts the defender at greater risk than destroying it (e.g. a seizure threat).
    /// </summary>
    SecurityRisk,
}

/// <summary>
/// An admin erased the case's personal data: intake destroyed its key, and every service that
/// sealed something of the case destroys its own key on receipt. The history, its hashes and the
/// audit trail stay. Version 1.
/// </summary>
[EntityName("protection.cases.case-erased.v1")]
[MessageUrn("protection:cases:case-erased:v1")]
public sealed record CaseErased(
    Guid CaseId,
    string CaseReference,
    ErasureBasis Basis,
    DateTimeOffset ErasedAt,
    EventMetadata Metadata) : IIntegrationEvent;
