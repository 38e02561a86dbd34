using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;

namespace Protection.Intake.Cases;

// Intake's own decisions about who holds the case and what the defender consented to. Named apart from
// the contracts they publish (CaseHoldersChanged, ConsentChanged); their lines name organisations by id
// and never hold the sealed reasons.

/// <summary>The case's caseworker recorded the defender's changed consent to sharing.</summary>
public sealed record DefenderConsentChanged(
    Guid CaseId, ConsentScopes From, ConsentScopes To, string By, DateTimeOffset At)
    : IEventOf<Case>, IPublishedAs<Case>
{
    public Case Apply(Case state) => state with
    {
        Consent = state.Consent with
        {
            ShareWithFunders = To.ShareWithFunders,
            ShareWithRelocationHost = To.ShareWithRelocationHost,
        },
        LastChangedAt = At,
    };

    public string Describe()
    {
        var changes = new List<string>();
        if (From.ShareWithFunders != To.ShareWithFunders)
        {
            changes.Add($"to share with funders now {YesNo(To.ShareWithFunders)} (was {YesNo(From.ShareWithFunders)})");
        }

        if (From.ShareWithRelocationHost != To.ShareWithRelocationHost)
        {
            changes.Add($"to share with a relocation host now {YesNo(To.ShareWithRelocationHost)} "
                + $"(was {YesNo(From.ShareWithRelocationHost)})");
        }

        return $"Consent changed: {string.Join("; ", changes)}";
    }

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
        [new ConsentChanged(CaseId, after.Reference, after.Consent.Scopes, version, metadata)];

    private static string YesNo(bool value) => value ? "yes" : "no";
}

/// <summary>The owner's caseworker referred the case to another organisation; the reason is sealed.</summary>
public sealed record CaseReferred(
    Guid CaseId,
    Guid ReferralId,
    string FromOrganisation,
    string ToOrganisation,
    ReferralKind Kind,
    bool SharePersonalData,
    SealedData Reason,
    string By,
    DateTimeOffset At) : IEventOf<Case>
{
    public Case Apply(Case state) => state with
    {
        Referrals =
        [
            .. state.Referrals,
            new Referral(ReferralId, ToOrganisation, FromOrganisation, Kind, SharePersonalData, Reason, By, At),
        ],
        LastChangedAt = At,
    };

    public string Describe() => Kind == ReferralKind.Transfer
        ? $"Referral {ReferralId}: {FromOrganisation} offers to transfer the case to {ToOrganisation}"
        : $"Referral {ReferralId}: {FromOrganisation} offers to share the case with {ToOrganisation}, "
            + (SharePersonalData ? "with personal data" : "without personal data");
}

/// <summary>
/// A supervisor of the receiving organisation accepted the referral: a share makes it a partner, a transfer
/// makes it the owner (the former owner keeps nothing).
/// </summary>
public sealed record ReferralAccepted(
    Guid CaseId,
    Guid ReferralId,
    string FromOrganisation,
    string ToOrganisation,
    ReferralKind Kind,
    bool SharePersonalData,
    string By,
    DateTimeOffset At) : IEventOf<Case>, IPublishedAs<Case>
{
    public Case Apply(Case state)
    {
        var decided = state.WithReferral(ReferralId, r => r.Decided(ReferralStatus.Accepted, By, At));
        var others = state.Partners.Where(p => p.Organisation != ToOrganisation);
        return Kind == ReferralKind.Transfer
            ? decided with
            {
                Organisation = ToOrganisation,
                Partners = [.. others.Where(p => p.Organisation != state.Organisation)],
                LastChangedAt = At,
            }
            : decided with
            {
                Partners = [.. others, new CasePartner(ToOrganisation, SharePersonalData)],
                LastChangedAt = At,
            };
    }

    public string Describe() => Kind == ReferralKind.Transfer
        ? $"Referral {ReferralId} accepted: the case is transferred from {FromOrganisation} to {ToOrganisation}"
        : $"Referral {ReferralId} accepted: the case is shared with {ToOrganisation}, "
            + (SharePersonalData ? "with personal data" : "without personal data");

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
        [CaseHolders.Changed(after, version, metadata)];
}

/// <summary>A supervisor of the receiving organisation declined the referral, with an optional sealed reason.</summary>
public sealed record ReferralDeclined(
    Guid CaseId, Guid ReferralId, string ToOrganisation, SealedData? Reason, string By, DateTimeOffset At)
    : IEventOf<Case>
{
    public Case Apply(Case state) =>
        state.WithReferral(ReferralId, r => r.Decided(ReferralStatus.Declined, By, At) with { DeclineReason = Reason })
            with { LastChangedAt = At };

    public string Describe() => $"Referral {ReferralId} declined by {ToOrganisation}";
}

/// <summary>
/// The owner's caseworker revoked the referral: a pending one is withdrawn; an accepted share ends and its
/// partner no longer holds the case.
/// </summary>
public sealed record ReferralRevoked(
    Guid CaseId, Guid ReferralId, string ToOrganisation, bool WasAcceptedShare, string By, DateTimeOffset At)
    : IEventOf<Case>, IPublishedAs<Case>
{
    public Case Apply(Case state)
    {
        var revoked = state.WithReferral(ReferralId, r => r.Decided(ReferralStatus.Revoked, By, At));
        return WasAcceptedShare
            ? revoked with
            {
                Partners = [.. state.Partners.Where(p => p.Organisation != ToOrganisation)],
                LastChangedAt = At,
            }
            : revoked with { LastChangedAt = At };
    }

    public string Describe() => WasAcceptedShare
        ? $"Referral {ReferralId} revoked: the case is no longer shared with {ToOrganisation}"
        : $"Referral {ReferralId} to {ToOrganisation} withdrawn before it was answered";

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
        WasAcceptedShare ? [CaseHolders.Changed(after, version, metadata)] : [];
}

/// <summary>The contract other services keep the case's holders by.</summary>
public static class CaseHolders
{
    public static CaseHoldersChanged Changed(Case after, long version, EventMetadata metadata) =>
        new(after.Id, after.Reference, after.Organisation ?? string.Empty, [.. after.Partners], version, metadata);
}
