using Protection.Contracts;
using Protection.Contracts.Assistance;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Published = Protection.Contracts.Assistance;

namespace Protection.EmergencyAssistance.Grants;

// The grant's own events, in its Marten stream. Purpose, reasons and reports are free text written
// by staff and may name a defender or where they are: they are stored only sealed with the key of the
// grant's case (SealedData), opened for readers, and read "[erased]" once erasure destroyed that key.
// The published integration events carry none of them. Each event says what it does to the grant, the
// auditor's line and what it publishes; four were renamed apart from the contracts they publish, and
// keep the names their streams were recorded with (AssistanceModule maps them).

/// <summary>
/// An officer asked for a grant; <see cref="Purpose"/> is sealed with the case's key. <see cref="FundOrganisation"/>
/// is the fund's organisation at request time (null in streams recorded before organisations: read from the fund).
/// </summary>
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
    DateTimeOffset DecisionDueAt,
    string? FundOrganisation = null) : IStartOf<Grant>, IPublishedAs<Grant>
{
    public Grant Start() => new Grant(
        GrantId, CaseId, CaseReference, Country, ThreatTypes, Risk, FundId, Currency, Amount, Category, Purpose,
        PeopleCovered, RequestedBy, At, DecisionDueAt, GrantStatus.Pending, Approvals: [], ApprovedAmount: null,
        Rejection: null, Tranches: [], ReportDueAt: null, Report: null, DecisionOverdueFlagged: false,
        ReportOverdueFlagged: false, LastChangedAt: At)
    {
        FundOrganisation = FundOrganisation,
    }.Ranked();

    public string Describe() =>
        $"Grant requested by {RequestedBy}: {Amount} {Currency} for {Category} from fund {FundId}, "
        + $"{PeopleCovered} covered; decision due {DecisionDueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
    [
        new Published.GrantRequested(
            after.CaseId, after.CaseReference, after.Id, after.FundId, Amount, after.Currency, after.Category,
            after.PeopleCovered, after.DecisionDueAt, metadata),
    ];
}

/// <summary>One funder approved; more approvals are needed before money is reserved.</summary>
public sealed record ApprovalGiven(Guid GrantId, string Funder, decimal Amount, DateTimeOffset At) : IEventOf<Grant>
{
    public Grant Apply(Grant state) =>
        state with { Approvals = [.. state.Approvals, new Approval(Funder, Amount, At)], LastChangedAt = At };

    public string Describe() => $"Approved by {Funder} for {Amount}; another funder's approval is needed";
}

/// <summary>
/// The last approval needed: <see cref="Granted"/> (the lowest amount approved) is reserved in the
/// fund; <see cref="Amount"/> is this funder's.
/// </summary>
public sealed record GrantAwarded(
    Guid GrantId, string Funder, decimal Amount, decimal Granted, IReadOnlyList<string> Approvers, DateTimeOffset At)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => (state with
    {
        Approvals = [.. state.Approvals, new Approval(Funder, Amount, At)],
        ApprovedAmount = Granted,
        Status = GrantStatus.Approved,
        LastChangedAt = At,
    }).Ranked();

    public string Describe() =>
        $"Approved by {Funder}: {Granted} granted and reserved (approvers: {string.Join(", ", Approvers)})";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
    [
        new Published.GrantApproved(
            after.CaseId, after.CaseReference, after.Id, after.FundId, after.ApprovedAmount!.Value, after.Currency,
            after.Category, after.Approvals.Select(a => a.Funder).ToArray(), metadata),
    ];
}

/// <summary>A funder refused the grant; <see cref="Reason"/> is sealed.</summary>
public sealed record GrantDeclined(Guid GrantId, string Funder, SealedData Reason, DateTimeOffset At)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => (state with
    {
        Status = GrantStatus.Rejected,
        Rejection = new Rejection(Funder, Reason, At),
        LastChangedAt = At,
    }).Ranked();

    public string Describe() => $"Rejected by {Funder} (reason recorded)";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
        [new Published.GrantRejected(after.CaseId, after.CaseReference, after.Id, metadata)];
}

/// <summary>The officer withdrew the request; <see cref="Reason"/> is sealed.</summary>
public sealed record GrantRequestWithdrawn(
    Guid GrantId, string By, SealedData Reason, decimal Released, DateTimeOffset At)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => (state with { Status = GrantStatus.Withdrawn, LastChangedAt = At }).Ranked();

    public string Describe() => $"Withdrawn by {By}; {Released} released to the fund";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
        [new Published.GrantWithdrawn(after.CaseId, after.CaseReference, after.Id, metadata)];
}

/// <summary>
/// A tranche was paid; when it completes the grant, the accountability report is due at
/// <see cref="ReportDueAt"/>.
/// </summary>
public sealed record TrancheDisbursed(
    Guid GrantId, int Tranche, decimal Amount, string By, DateTimeOffset At, DateTimeOffset? ReportDueAt)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => (state with
    {
        Tranches = [.. state.Tranches, new Tranche(Tranche, Amount, By, At)],
        Status = ReportDueAt is null ? GrantStatus.PartlyDisbursed : GrantStatus.Disbursed,
        ReportDueAt = ReportDueAt,
        LastChangedAt = At,
    }).Ranked();

    public string Describe() =>
        $"Tranche {Tranche} paid by {By}: {Amount}" + (ReportDueAt is { } due ? $"; report due {due:u}" : string.Empty);

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
    [
        new Published.GrantDisbursed(
            after.CaseId, after.CaseReference, after.Id, after.FundId, after.Category, Tranche, Amount, after.Currency,
            after.Disbursed, ReportDueAt is not null, metadata),
    ];
}

/// <summary>The accountability report; <see cref="Summary"/> is sealed.</summary>
public sealed record ReportSubmitted(Guid GrantId, decimal Spent, SealedData Summary, string By, DateTimeOffset At)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => (state with
    {
        Status = GrantStatus.Reported,
        Report = new Report(Spent, Summary, By, At),
        LastChangedAt = At,
    }).Ranked();

    public string Describe() => $"Accountability report by {By}: {Spent} spent";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
        [new Published.GrantReportSubmitted(after.CaseId, after.CaseReference, after.Id, metadata)];
}

public sealed record DecisionOverdueFlagged(Guid GrantId, DateTimeOffset DueAt, DateTimeOffset At)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => state with { DecisionOverdueFlagged = true };

    public string Describe() => $"Decision overdue: it was due {DueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
        [new Published.GrantDecisionOverdue(after.CaseId, after.CaseReference, after.Id, DueAt, metadata)];
}

public sealed record ReportOverdueFlagged(Guid GrantId, DateTimeOffset DueAt, DateTimeOffset At)
    : IEventOf<Grant>, IPublishedAs<Grant>
{
    public Grant Apply(Grant state) => state with { ReportOverdueFlagged = true };

    public string Describe() => $"Accountability report overdue: it was due {DueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(Grant after, long version, EventMetadata metadata) =>
        [new Published.GrantReportOverdue(after.CaseId, after.CaseReference, after.Id, DueAt, metadata)];
}

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
    /// The organisation of the fund the grant draws on, recorded at request time: its funders see, decide on and
    /// pay the grant. Null in a stream recorded before organisations (then the fund's <c>Organisation</c> holds).
    /// </summary>
    public string? FundOrganisation { get; init; }

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

    /// <summary>Every status change re-ranks the grant in the funders' list.</summary>
    internal Grant Ranked() => this with
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
