using MassTransit;

namespace Protection.Contracts.Cases;

/// <summary>
/// A protection organisation a case is shared with after an accepted referral. It reads the case,
/// never changes it; <paramref name="SeesPersonalData"/> is the consent recorded with the referral
/// (without it the partner reads the case as an auditor does: no names, contacts, places or free text).
/// </summary>
public sealed record CasePartner(string Organisation, bool SeesPersonalData);

/// <summary>
/// Which organisations hold the case changed: a referral was accepted (shared or transferred) or a
/// share was revoked. Carries the whole current holding, so a consumer keeps the newest
/// (<paramref name="CaseVersion"/>, intake's stream version) and ignores an older message. Version 1.
/// </summary>
/// <param name="Owner">The organisation that owns and acts on the case.</param>
/// <param name="Partners">The organisations it is shared with, read only.</param>
[EntityName("protection.cases.case-holders-changed.v1")]
[MessageUrn("protection:cases:case-holders-changed:v1")]
public sealed record CaseHoldersChanged(
    Guid CaseId,
    string CaseReference,
    string Owner,
    IReadOnlyList<CasePartner> Partners,
    long CaseVersion,
    EventMetadata Metadata) : IIntegrationEvent;

/// <summary>
/// The case's officer recorded the defender's changed consent. Carries the whole consent in force;
/// a consumer keeps the newest (<paramref name="CaseVersion"/>). A withdrawal holds on every read
/// from the moment a service has it. Version 1.
/// </summary>
[EntityName("protection.cases.consent-changed.v1")]
[MessageUrn("protection:cases:consent-changed:v1")]
public sealed record ConsentChanged(
    Guid CaseId,
    string CaseReference,
    ConsentScopes Consent,
    long CaseVersion,
    EventMetadata Metadata) : IIntegrationEvent;
