using Protection.Contracts.Cases;
using Protection.Contracts.Triage;

namespace Protection.Console.Api;

// The API's answers as the console reads them (the services own the full shapes; see /scalar).

public enum CaseStage { Intake, Triage, EmergencyAssistance, Relocation }

public enum CaseStatus { Open, Closed }

public sealed record CaseSummary(
    Guid Id, string Reference, CaseStatus Status, CaseStage Stage, string Country,
    IReadOnlyList<ThreatType> ThreatTypes, RiskLevel? Risk, string? AssignedTo, DateTimeOffset? TriageDueAt,
    bool TriageOverdue, string OpenedBy, DateTimeOffset OpenedAt);

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
    long Version);

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
