using Protection.Contracts.Assistance;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reading;

/// <param name="Reason">Sealed text: null to a reader who does not read the grant's texts.</param>
public sealed record RejectionView(string Funder, string? Reason, DateTimeOffset At);

/// <param name="Summary">Sealed text: null to a reader who does not read the grant's texts.</param>
public sealed record ReportView(decimal Spent, string? Summary, string By, DateTimeOffset At);

/// <summary>
/// A grant as funders and officers see it: the case by reference, country, risk and threat types,
/// never who or where. Purpose, rejection reason and report summary are opened with the case's key
/// and read "[erased]" once the case's personal data was erased. What the reader's <see cref="GrantSight"/>
/// does not show reads null: the texts (see <see cref="GrantAccess.SightOf"/>), and the case's facts to a
/// foreign fund's funders once the defender withdrew consent.
/// </summary>
public sealed record GrantView(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    string? Country,
    RiskLevel? Risk,
    IReadOnlyList<ThreatType>? ThreatTypes,
    Guid FundId,
    string? FundOrganisation,
    string Currency,
    decimal RequestedAmount,
    decimal? ApprovedAmount,
    GrantCategory Category,
    string? Purpose,
    int PeopleCovered,
    GrantStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    bool DecisionOverdue,
    IReadOnlyList<Approval> Approvals,
    int ApprovalsNeeded,
    RejectionView? Rejection,
    IReadOnlyList<Tranche> Tranches,
    decimal Disbursed,
    decimal StillToPay,
    DateTimeOffset? ReportDueAt,
    bool ReportOverdue,
    ReportView? Report,
    long Version) : IVersioned
{
    /// <param name="seal">The key of the grant's case; null once its personal data was erased.</param>
    /// <param name="sight">What the reader sees: see <see cref="GrantAccess.SightOf"/>.</param>
    /// <param name="fundOrganisation">The fund's organisation when the grant's stream predates it.</param>
    public static GrantView Of(
        Grant g,
        CaseSeal? seal,
        AssistanceOptions options,
        DateTimeOffset now,
        GrantSight sight,
        string? fundOrganisation = null)
    {
        string? Text(SealedData sealedData) => sight.ReadsTexts ? CaseKeys.Text(seal, sealedData) : null;
        var facts = sight.SeesCaseFacts;
        return new(
            g.Id, g.CaseId, g.CaseReference, facts ? g.Country : null, facts ? g.Risk : null,
            facts ? g.ThreatTypes : null, g.FundId, g.FundOrganisation ?? fundOrganisation, g.Currency,
            g.RequestedAmount, g.ApprovedAmount, g.Category, Text(g.Purpose), g.PeopleCovered,
            g.Status, g.RequestedBy, g.RequestedAt, g.DecisionDueAt,
            g.Status == GrantStatus.Pending && g.DecisionDueAt <= now,
            g.Approvals,
            g.Approvals.Select(a => a.Amount).Append(g.RequestedAmount).Min() > options.TwoApprovalsAbove ? 2 : 1,
            g.Rejection is { } r ? new RejectionView(r.Funder, Text(r.Reason), r.At) : null,
            g.Tranches, g.Disbursed, g.StillReserved, g.ReportDueAt,
            g.Status == GrantStatus.Disbursed && g.ReportDueAt <= now,
            g.Report is { } report ? new ReportView(report.Spent, Text(report.Summary), report.By, report.At) : null,
            g.Version);
    }
}
