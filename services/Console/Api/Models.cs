using Protection.Contracts.Cases;
using Protection.Contracts.Triage;

namespace Protection.Console.Api;

// The API's answers as the console reads them (the services own the full shapes; see /scalar).

public enum CaseStage { Intake, Triage, EmergencyAssistance, Relocation }

public enum CaseStatus { Open, Closed }

public sealed record CaseSummary(
    Guid Id, string Reference, CaseStatus Status, CaseStage Stage, string Country,
    IReadOnlyList<ThreatType> ThreatTypes, RiskLevel? Risk, string? AssignedTo, DateTimeOffset? TriageDueAt,
    bool TriageOverdue, string OpenedBy, DateTimeOffset OpenedAt, string? Organisation = null, bool Shared = false);

public sealed record CaseList(IReadOnlyList<CaseSummary> Items, int Page, int PageSize, long Total);

public sealed record Contacts(string? Phone, string? Email, string? SecureMessenger);

public sealed record Defender(
    string FullName, string? PreferredName, string? Organisation, Contacts? Contacts, string? ExactLocation);

public sealed record Consent(bool ShareWithFunders, bool ShareWithRelocationHost);

public sealed record Threat(
    Guid ThreatId, ThreatType Type, PerpetratorCategory Perpetrator, DateOnly OccurredOn, string Country,
    string? Region, string? Description);

public sealed record CaseFileView(
    Guid Id, string Reference, CaseStatus Status, CaseStage Stage, string Country, string? Region, int PeopleAtRisk,
    Consent Consent, string PersonalData, Defender? Defender, IReadOnlyList<Threat> Threats, RiskLevel? Risk,
    string? AssignedTo, DateTimeOffset? TriageDueAt, bool TriageOverdue, string OpenedBy, DateTimeOffset OpenedAt,
    long Version, string? Organisation = null, IReadOnlyList<CasePartnerView>? Partners = null, string? ReadAs = null,
    IReadOnlyList<ReferralView>? Referrals = null)
{
    /// <summary>
    /// How the reader reads the case: <c>caseworker</c>, <c>owner</c>, <c>partner</c> or <c>auditor</c>.
    /// </summary>
    public bool ReadAsCaseworker => ReadAs == "caseworker";

    public bool ReadAsPartner => ReadAs == "partner";

    /// <summary>Partners and auditors read the case and never change it: no form is shown to them.</summary>
    public bool ReadOnly => ReadAs is "partner" or "auditor";
}

/// <summary>An organisation the case is shared with, and whether the sharing gave it the personal data.</summary>
public sealed record CasePartnerView(string Organisation, bool SeesPersonalData);

/// <summary>A referral of the case to another organisation (kind share or transfer).</summary>
public sealed record ReferralView(
    string Id, string ToOrganisation, string FromOrganisation, string Kind, string Status, string? Reason,
    bool SharePersonalData, string? ReferredBy, DateTimeOffset ReferredAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DeclineReason = null)
{
    /// <summary>The owner's caseworkers may revoke a pending referral or an accepted share.</summary>
    public bool Revocable => Status == "pending" || (Status == "accepted" && Kind == "share");
}

/// <summary>A referral addressed to the reader's organisation (the Referrals page).</summary>
public sealed record IncomingReferral(
    Guid CaseId, string CaseReference, string ReferralId, string FromOrganisation, string Kind, string Status,
    bool SharePersonalData, DateTimeOffset ReferredAt, string? Country, IReadOnlyList<ThreatType>? ThreatTypes,
    string? Reason);

/// <summary>An organisation of the platform as the directory names it (kind protection, funding or audit).</summary>
public sealed record OrganisationEntry(string Id, string Name, string Kind);

public sealed record RiskReason(
    string Rule, RiskLevel Level, string Because, IReadOnlyList<string> Evidence, bool Decisive);

public sealed record RiskView(
    RiskLevel Level, RiskBasis Basis, string SetBy, DateTimeOffset SetAt, IReadOnlyList<RiskReason> Reasons);

public sealed record Scores(int EmotionalCognitive, int Physical, int Spiritual, int Economic, int Political);

public sealed record AssessmentView(Scores Scores, RiskLevel ComputedLevel, string By, DateTimeOffset At);

public sealed record CoverageView(FrameworkArea Area, int Open, int Completed, int Cancelled, bool Covered);

public enum MeasureStatus { Open, Completed, Cancelled }

public sealed record MeasureView(
    Guid Id, FrameworkArea Area, string Type, string Owner, DateOnly DueOn, MeasureStatus Status,
    string? CancelReason, string AddedBy, DateTimeOffset AddedAt);

public sealed record RiskChange(RiskLevel Level, RiskBasis Basis, string By, DateTimeOffset At, string? Reason);

public sealed record TriageView(
    Guid CaseId, string Reference, string Status, RiskView Risk, IReadOnlyList<RiskChange> RiskHistory,
    AssessmentView? Assessment,
    string? AssignedTo, string ResponsibleOfficer, bool AwaitingTriage, DateTimeOffset? TriageDueAt, bool Overdue,
    IReadOnlyList<MeasureView> Measures, IReadOnlyList<CoverageView> Coverage, long Version);

public sealed record QueueItem(
    Guid CaseId, string Reference, string Country, RiskLevel Risk, RiskBasis RiskBasis, string? AssignedTo,
    string ResponsibleOfficer, bool AwaitingTriage, DateTimeOffset? DueAt, bool Overdue,
    IReadOnlyList<ThreatType> ThreatTypes, DateTimeOffset OpenedAt);

public sealed record TriageQueue(IReadOnlyList<QueueItem> Items, int Page, int PageSize, long Total);

public sealed record GrantSummary(
    Guid Id, string Status, decimal RequestedAmount, decimal? ApprovedAmount, string Currency,
    Protection.Contracts.Assistance.GrantCategory Category, DateTimeOffset DecisionDueAt, bool DecisionOverdue);

public sealed record RelocationSummary(
    Guid Id, Protection.Contracts.Relocation.RelocationState State, Protection.Contracts.Relocation.RelocationKind Kind,
    DateTimeOffset? NextCheckInDueAt, bool CheckInOverdue);

public sealed record CaseRelocations(IReadOnlyList<RelocationSummary> Items);

public sealed record CheckInView(string Status, DateTimeOffset At);

public sealed record RelocationView(
    Guid Id, Guid CaseId, string CaseReference, Protection.Contracts.Relocation.RelocationState State,
    Protection.Contracts.Relocation.RelocationKind Kind, DateTimeOffset? NextCheckInDueAt, bool CheckInOverdue,
    IReadOnlyList<CheckInView> CheckIns, IReadOnlyList<string> AllowedSteps);

public sealed record Opened(Guid Id, string Reference);
