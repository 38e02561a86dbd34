using Protection.EventSourcing.PersonalData;

namespace Protection.Intake.Cases;

/// <summary>What a referral asks of the receiving organisation.</summary>
public enum ReferralKind
{
    /// <summary>Read the case beside its owner, never change it.</summary>
    Share,

    /// <summary>Take the case over: the receiver becomes its owner and the sender drops out.</summary>
    Transfer,
}

public enum ReferralStatus
{
    Pending,
    Accepted,
    Declined,
    Revoked,
}

/// <summary>
/// The owner's caseworker offered the case to another organisation. Its reason (and the receiver's reason for
/// declining) are sealed with the case key; what is in clear names organisations by id only.
/// </summary>
/// <param name="SharePersonalData">
/// The defender's consent recorded with the referral: whether a partner it makes reads personal data.
/// </param>
public sealed record Referral(
    Guid Id,
    string ToOrganisation,
    string FromOrganisation,
    ReferralKind Kind,
    bool SharePersonalData,
    SealedData Reason,
    string ReferredBy,
    DateTimeOffset ReferredAt)
{
    public ReferralStatus Status { get; init; } = ReferralStatus.Pending;

    /// <summary>Why the receiver declined, sealed; null when they gave no reason (or did not decline).</summary>
    public SealedData? DeclineReason { get; init; }

    /// <summary>Who accepted, declined or revoked it.</summary>
    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public Referral Decided(ReferralStatus status, string by, DateTimeOffset at) =>
        this with { Status = status, DecidedBy = by, DecidedAt = at };
}
