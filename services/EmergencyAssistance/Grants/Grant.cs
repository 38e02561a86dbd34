using Protection.Contracts.Assistance;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.EmergencyAssistance.Grants;

// The grant's own events, in its Marten stream. Purpose, reasons and reports are free text written
// by staff and may name a defender or where they are: they are stored only sealed with the key of the
// grant's case (SealedData), opened for readers, and read "[erased]" once erasure destroyed that key.
// The published integration events carry none of them. Four were renamed apart from the contracts they
// publish; their stored names stay as they were recorded (AssistanceModule maps them).

/// <summary>An officer asked for a grant; <see cref="Purpose"/> is sealed with the case's key.</summary>
public sealed record GrantRequestFiled(
    Guid GrantId,
    Guid CaseId,
    string CaseReference,
    string Country,
    IReadOnlyList<ThreatType> ThreatTypes,
    RiskLevel? Risk,
    Guid FundId,
    string Currency,
    decimal Amount,
    GrantCategory Category,
    SealedData Purpose,
    int PeopleCovered,
    string RequestedBy,
    DateTimeOffset At,
    DateTimeOffset DecisionDueAt);

/// <summary>One funder approved; more approvals are needed before money is reserved.</summary>
public sealed record ApprovalGiven(Guid GrantId, string Funder, decimal Amount, DateTimeOffset At);

/// <summary>
/// The last approval needed: <see cref="Granted"/> (the lowest amount approved) is reserved in the
/// fund; <see cref="Amount"/> is this funder's.
/// </summary>
public sealed record GrantAwarded(
    Guid GrantId, string Funder, decimal Amount, decimal Granted, IReadOnlyList<string> Approvers, DateTimeOffset At);

/// <summary>A funder refused the grant; <see cref="Reason"/> is sealed.</summary>
public sealed record GrantDeclined(Guid GrantId, string Funder, SealedData Reason, DateTimeOffset At);

/// <summary>The officer withdrew the request; <see cref="Reason"/> is sealed.</summary>
public sealed record GrantRequestWithdrawn(
    Guid GrantId, string By, SealedData Reason, decimal Released, DateTimeOffset At);

/// <summary>
/// A tranche was paid; when it completes the grant, the accountability report is due at
/// <see cref="ReportDueAt"/>.
/// </summary>
public sealed record TrancheDisbursed(
    Guid GrantId, int Tranche, decimal Amount, string By, DateTimeOffset At, DateTimeOffset? ReportDueAt);

/// <summary>The accountability report; <see cref="Summary"/> is sealed.</summary>
public sealed record ReportSubmitted(Guid GrantId, decimal Spent, SealedData Summary, string By, DateTimeOffset At);

public sealed record DecisionOverdueFlagged(Guid GrantId, DateTimeOffset DueAt, DateTimeOffset At);

public sealed record ReportOverdueFlagged(Guid GrantId, DateTimeOffset DueAt, DateTimeOffset At);

public enum GrantStatus
{
    Pending,
    Approved,
    PartlyDisbursed,
    Disbursed,
    Reported,
    Rejected,
    Withdrawn,
}

public static class GrantStatusWords
{
    /// <summary>The status as a refusal names it: "The grant is fully paid".</summary>
    public static string InWords(this GrantStatus status) => status switch
    {
        GrantStatus.PartlyDisbursed => "partly paid",
        GrantStatus.Disbursed => "fully paid",
        _ => status.ToString().ToLowerInvariant(),
    };
}

public sealed record Approval(string Funder, decimal Amount, DateTimeOffset At);

public sealed record Tranche(int Number, decimal Amount, string By, DateTimeOffset At);

/// <summary>Who refused the grant and why (sealed).</summary>
public sealed record Rejection(string Funder, SealedData Reason, DateTimeOffset At);

/// <summary>The accountability report; <see cref="Summary"/> is sealed.</summary>
public sealed record Report(decimal Spent, SealedData Summary, string By, DateTimeOffset At);

/// <summary>
/// A grant request from request to report; decision state and read model in one (inline snapshot).
/// Its free text stays sealed here; <c>GrantView</c> opens it with the key of <see cref="CaseId"/>.
/// </summary>
public sealed record Grant(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    string Country,
    IReadOnlyList<ThreatType> ThreatTypes,
    RiskLevel? Risk,
    Guid FundId,
    string Currency,
    decimal RequestedAmount,
    GrantCategory Category,
    SealedData Purpose,
    int PeopleCovered,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    GrantStatus Status,
    IReadOnlyList<Approval> Approvals,
    decimal? ApprovedAmount,
    Rejection? Rejection,
    IReadOnlyList<Tranche> Tranches,
    DateTimeOffset? ReportDueAt,
    Report? Report,
    bool DecisionOverdueFlagged,
    bool ReportOverdueFlagged,
    DateTimeOffset LastChangedAt)
{
    public long Version { get; set; }

    /// <summary>
    /// Sorts the funder's list: pending decisions first, then grants still being paid, then the rest.
    /// </summary>
    public int Rank { get; init; }

    public decimal Disbursed => Tranches.Sum(t => t.Amount);

    /// <summary>Approved but not yet paid: what the fund holds reserved for this grant.</summary>
    public decimal StillReserved =>
        Status is GrantStatus.Approved or GrantStatus.PartlyDisbursed ? (ApprovedAmount ?? 0) - Disbursed : 0;

    /// <summary>Open until rejected, withdrawn or accounted for.</summary>
    public bool IsOpen => Status is not (GrantStatus.Rejected or GrantStatus.Withdrawn or GrantStatus.Reported);

    public static Grant Create(GrantRequestFiled e) => new Grant(
        e.GrantId, e.CaseId, e.CaseReference, e.Country, e.ThreatTypes, e.Risk, e.FundId, e.Currency, e.Amount,
        e.Category, e.Purpose, e.PeopleCovered, e.RequestedBy, e.At, e.DecisionDueAt, GrantStatus.Pending, [], null,
        null, [], null, null, false, false, e.At).Ranked();

    public Grant Apply(ApprovalGiven e) =>
        this with { Approvals = [.. Approvals, new Approval(e.Funder, e.Amount, e.At)], LastChangedAt = e.At };

    public Grant Apply(GrantAwarded e) => (this with
    {
        Approvals = [.. Approvals, new Approval(e.Funder, e.Amount, e.At)],
        ApprovedAmount = e.Granted,
        Status = GrantStatus.Approved,
        LastChangedAt = e.At,
    }).Ranked();

    public Grant Apply(GrantDeclined e) => (this with
    {
        Status = GrantStatus.Rejected,
        Rejection = new Rejection(e.Funder, e.Reason, e.At),
        LastChangedAt = e.At,
    }).Ranked();

    public Grant Apply(GrantRequestWithdrawn e) =>
        (this with { Status = GrantStatus.Withdrawn, LastChangedAt = e.At }).Ranked();

    public Grant Apply(TrancheDisbursed e) => (this with
    {
        Tranches = [.. Tranches, new Tranche(e.Tranche, e.Amount, e.By, e.At)],
        Status = e.ReportDueAt is null ? GrantStatus.PartlyDisbursed : GrantStatus.Disbursed,
        ReportDueAt = e.ReportDueAt,
        LastChangedAt = e.At,
    }).Ranked();

    public Grant Apply(ReportSubmitted e) => (this with
    {
        Status = GrantStatus.Reported,
        Report = new Report(e.Spent, e.Summary, e.By, e.At),
        LastChangedAt = e.At,
    }).Ranked();

    public Grant Apply(DecisionOverdueFlagged e) => this with { DecisionOverdueFlagged = true };

    public Grant Apply(ReportOverdueFlagged e) => this with { ReportOverdueFlagged = true };

    private Grant Ranked() => this with
    {
        Rank = Status switch
        {
            GrantStatus.Pending => 0,
            GrantStatus.Approved or GrantStatus.PartlyDisbursed => 1,
            GrantStatus.Disbursed => 2,
            _ => 3,
        },
    };
}
