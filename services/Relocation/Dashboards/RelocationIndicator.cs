using JasperFx.Events;
using Marten.Events.Aggregation;
using Protection.Contracts.Relocation;
using Protection.Relocations.Relocations;

namespace Protection.Relocations.Dashboards;

/// <summary>
/// One relocation as the supervisors' dashboard counts it: its case, its state, how many check-ins were missed
/// and whether the last deadline is still missed. No personal data (plans, places, notes stay sealed in the
/// relocation). The case's organisation is in <c>CaseRecord</c>, which a transfer changes without an event of
/// this stream: the dashboard joins it when it reads.
/// </summary>
public sealed record RelocationIndicator(
    Guid Id,
    Guid CaseId,
    RelocationState State,
    bool Funded,
    int MissedCheckIns,
    bool CheckInMissedNow,
    DateTimeOffset RequestedAt);

/// <summary>Keeps <see cref="RelocationIndicator"/> from the relocations' events, by the async daemon.</summary>
public sealed class RelocationIndicatorProjection : SingleStreamProjection<RelocationIndicator, Guid>
{
    public const string ProjectionName = "RelocationIndicators";

    public RelocationIndicatorProjection()
    {
        Name = ProjectionName;
        IncludeType<RelocationOpened>();
        IncludeType<RelocationPlanned>();
        IncludeType<RelocationFunded>();
        IncludeType<RelocationDeparted>();
        IncludeType<RelocationArrived>();
        IncludeType<DefenderCheckedIn>();
        IncludeType<CheckInMissedFlagged>();
        IncludeType<DefenderReturned>();
        IncludeType<DefenderResettled>();
        IncludeType<RelocationConcluded>();
    }

    public override RelocationIndicator? Evolve(RelocationIndicator? snapshot, Guid id, IEvent e) =>
        (snapshot, e.Data) switch
        {
            (null, RelocationOpened opened) => new RelocationIndicator(
                opened.RelocationId, opened.CaseId, RelocationState.Requested, false, 0, false, opened.At),
            // As the relocation itself: a plan made after the money came keeps it funded.
            ({ } r, RelocationPlanned) =>
                r with { State = r.Funded ? RelocationState.Funded : RelocationState.Planned },
            ({ } r, RelocationFunded) => r with { State = RelocationState.Funded, Funded = true },
            ({ } r, RelocationDeparted) => r with { State = RelocationState.InTransit },
            ({ } r, RelocationArrived) => r with { State = RelocationState.Arrived },
            ({ } r, DefenderCheckedIn) => r with { CheckInMissedNow = false },
            ({ } r, CheckInMissedFlagged) => r with { MissedCheckIns = r.MissedCheckIns + 1, CheckInMissedNow = true },
            ({ } r, DefenderReturned) => r with { State = RelocationState.Returned, CheckInMissedNow = false },
            ({ } r, DefenderResettled) => r with { State = RelocationState.Resettled, CheckInMissedNow = false },
            ({ } r, RelocationConcluded) => r with { State = RelocationState.Closed, CheckInMissedNow = false },
            _ => snapshot,
        };
}
