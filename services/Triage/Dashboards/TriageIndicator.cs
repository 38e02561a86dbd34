using JasperFx.Events;
using Marten.Events.Aggregation;
using Protection.Triage.Cases;

namespace Protection.Triage.Dashboards;

/// <summary>
/// One case's timing as the supervisors' dashboard counts it: when intake opened it and when an officer first
/// scored it. No personal data, no organisation: the organisation is in <see cref="CaseHolding"/>, which a
/// transfer changes without an event of this stream, so the dashboard joins it when it reads.
/// </summary>
public sealed record TriageIndicator(Guid Id, DateTimeOffset OpenedAt, DateTimeOffset? FirstAssessedAt);

/// <summary>
/// Keeps <see cref="TriageIndicator"/> from triage's events, applied by Marten's async daemon a moment after
/// they are stored (the dashboards may lag; the officer's own reads never do: they are inline).
/// </summary>
public sealed class TriageIndicatorProjection : SingleStreamProjection<TriageIndicator, Guid>
{
    public const string ProjectionName = "TriageIndicators";

    public TriageIndicatorProjection()
    {
        Name = ProjectionName;
        IncludeType<CaseTakenIn>();
        IncludeType<DimensionsScored>();
    }

    public override TriageIndicator? Evolve(TriageIndicator? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, CaseTakenIn taken) => new TriageIndicator(taken.CaseId, taken.OpenedAt, null),
        ({ FirstAssessedAt: null } indicator, DimensionsScored scored) =>
            indicator with { FirstAssessedAt = scored.At },
        _ => snapshot,
    };
}
