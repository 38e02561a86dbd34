using MassTransit;

namespace Protection.Contracts.Cases;

/// <summary>Intake opened a protection case. Version 1.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 country the defender is in; the exact location stays in intake.</param>
/// <param name="Threats">The threats reported with the case, without their free-text descriptions.</param>
/// <param name="PeopleAtRisk">How many people the case covers (the defender plus family members), a count only.</param>
[EntityName("protection.cases.case-opened.v1")]
[MessageUrn("protection:cases:case-opened:v1")]
public sealed record CaseOpened(
    Guid CaseId,
    string CaseReference,
    string Country,
    IReadOnlyList<ThreatSummary> Threats,
    ConsentScopes Consent,
    int PeopleAtRisk,
    DateTimeOffset OpenedAt,
    EventMetadata Metadata) : IIntegrationEvent
{
    /// <summary>
    /// The organisation that holds the case (the opener's <c>org</c> claim). Null only on messages
    /// published before organisations existed; such a case belongs to no organisation.
    /// </summary>
    public string? Organisation { get; init; }
}
