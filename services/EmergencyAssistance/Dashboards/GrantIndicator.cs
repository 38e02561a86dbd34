using JasperFx.Events;
using Marten.Events.Aggregation;
using Protection.Contracts.Assistance;
using Protection.EmergencyAssistance.Grants;

namespace Protection.EmergencyAssistance.Dashboards;

/// <summary>
/// One grant as the dashboards count it: whose fund, which case, category and currency, the money requested,
/// approved and paid, and when the decision was due and made. No personal data (the purpose, reasons and
/// reports stay sealed in the grant). The case's organisation is not here: it is in <c>CaseRecord</c>, which a
/// transfer changes without an event of this stream, so the dashboard joins it when it reads.
/// </summary>
public sealed record GrantIndicator(
    Guid Id,
    Guid CaseId,
    Guid FundId,
    string? FundOrganisation,
    GrantCategory Category,
    string Currency,
    decimal Requested,
    decimal? Approved,
    decimal Paid,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    DateTimeOffset? DecidedAt,
    GrantStatus Status);

/// <summary>Keeps <see cref="GrantIndicator"/> from the grants' events, applied by Marten's async daemon.</summary>
public sealed class GrantIndicatorProjection : SingleStreamProjection<GrantIndicator, Guid>
{
    public const string ProjectionName = "GrantIndicators";

    public GrantIndicatorProjection()
    {
        Name = ProjectionName;
        IncludeType<GrantRequestFiled>();
        IncludeType<GrantAwarded>();
        IncludeType<GrantDeclined>();
        IncludeType<GrantRequestWithdrawn>();
        IncludeType<TrancheDisbursed>();
        IncludeType<ReportSubmitted>();
    }

    public override GrantIndicator? Evolve(GrantIndicator? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, GrantRequestFiled filed) => new GrantIndicator(
            filed.GrantId, filed.CaseId, filed.FundId, filed.FundOrganisation, filed.Category, filed.Currency,
            filed.Amount, null, 0, filed.At, filed.DecisionDueAt, null, GrantStatus.Pending),
        ({ } grant, GrantAwarded awarded) =>
            grant with { Approved = awarded.Granted, DecidedAt = awarded.At, Status = GrantStatus.Approved },
        ({ } grant, GrantDeclined declined) => grant with { DecidedAt = declined.At, Status = GrantStatus.Rejected },
        ({ } grant, GrantRequestWithdrawn) => grant with { Status = GrantStatus.Withdrawn },
        ({ } grant, TrancheDisbursed paid) => grant with
        {
            Paid = grant.Paid + paid.Amount,
            Status = paid.ReportDueAt is null ? GrantStatus.PartlyDisbursed : GrantStatus.Disbursed,
        },
        ({ } grant, ReportSubmitted) => grant with { Status = GrantStatus.Reported },
        _ => snapshot,
    };
}
