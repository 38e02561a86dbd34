using Protection.Contracts.Relocation;
using Protection.EventSourcing.PersonalData;

namespace Protection.Relocations.Relocations;

// The relocation's own events, in its Marten stream. Destinations, host organisations, plans, notes
// and reasons are personal data: sealed with the case's key (destroyed on erasure), never published.

public sealed record RelocationRequested(
    Guid RelocationId,
    Guid CaseId,
    string CaseReference,
    string Country,
    RelocationKind Kind,
    RelocationReason Reason,
    int FamilyMembers,
    int Children,
    TimeSpan CheckInEvery,
    bool WasRecommended,
    string RequestedBy,
    DateTimeOffset At);

/// <summary>Where, with whom and how: sealed. The dates are in clear (deadlines are computed from them).</summary>
public sealed record PlanDetails(
    string DestinationCountry,
    string DestinationCity,
    string HostOrganisation,
    string SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy);

public sealed record RelocationPlanned(Guid RelocationId, DateOnly StartOn, DateOnly EndOn, SealedData Details, string By, DateTimeOffset At);

/// <summary>A tranche of an urgent-relocation grant for the case was paid (recorded whatever the state).</summary>
public sealed record FundingReceived(Guid RelocationId, Guid GrantId, int Tranche, decimal Amount, string Currency, DateTimeOffset At);

/// <summary>The plan is paid for: the relocation may depart.</summary>
public sealed record RelocationFunded(Guid RelocationId, Guid GrantId, DateTimeOffset At);

public sealed record RelocationDeparted(Guid RelocationId, string By, DateTimeOffset At, DateTimeOffset NextCheckInDueAt);

public sealed record RelocationArrived(Guid RelocationId, string By, DateTimeOffset At);

public sealed record CheckInRecorded(Guid RelocationId, CheckInStatus Status, SealedData? Note, string By, DateTimeOffset At, DateTimeOffset NextDueAt);

/// <summary>The check-in due at <see cref="DueAt"/> did not come within the grace period; recorded once per deadline.</summary>
public sealed record CheckInMissedFlagged(Guid RelocationId, DateTimeOffset DueAt, DateTimeOffset At);

public sealed record StayExtended(Guid RelocationId, DateOnly From, DateOnly EndOn, SealedData Reason, string By, DateTimeOffset At);

/// <summary>The stay ends on <see cref="EndOn"/>, within the notice period; recorded once per end date.</summary>
public sealed record StayEndingFlagged(Guid RelocationId, DateOnly EndOn, DateTimeOffset At);

public sealed record DefenderReturned(Guid RelocationId, string By, DateTimeOffset At);

public sealed record DefenderResettled(Guid RelocationId, string By, DateTimeOffset At);

public sealed record RelocationClosed(Guid RelocationId, RelocationOutcome Outcome, SealedData? Reason, string By, DateTimeOffset At);

public sealed record PlannedStay(DateOnly StartOn, DateOnly EndOn, SealedData Details, string By, DateTimeOffset At);

public sealed record Funding(Guid GrantId, int Tranche, decimal Amount, string Currency, DateTimeOffset At);

public sealed record CheckIn(CheckInStatus Status, SealedData? Note, string By, DateTimeOffset At);

public sealed record Extension(DateOnly From, DateOnly To, SealedData Reason, string By, DateTimeOffset At);

/// <summary>One step of the lifecycle, for the relocation's history.</summary>
public sealed record Transition(RelocationState From, RelocationState To, string Step, string By, DateTimeOffset At);

/// <summary>A relocation from request to close: decision state and read model in one (inline snapshot).</summary>
public sealed record Relocation(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    string Country,
    RelocationKind Kind,
    RelocationReason Reason,
    int FamilyMembers,
    int Children,
    TimeSpan CheckInEvery,
    bool WasRecommended,
    string RequestedBy,
    DateTimeOffset RequestedAt)
{
    public RelocationState State { get; init; } = RelocationState.Requested;

    public PlannedStay? Plan { get; init; }

    public IReadOnlyList<Funding> Funding { get; init; } = [];

    public Guid? FundedBy { get; init; }

    public DateTimeOffset? DepartedAt { get; init; }

    public DateTimeOffset? ArrivedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public RelocationOutcome? Outcome { get; init; }

    public SealedData? ClosingReason { get; init; }

    public IReadOnlyList<CheckIn> CheckIns { get; init; } = [];

    /// <summary>While away: when the next check-in is due.</summary>
    public DateTimeOffset? NextCheckInDueAt { get; init; }

    /// <summary>The deadline last flagged as missed; a check-in sets a new deadline and clears it.</summary>
    public DateTimeOffset? MissedCheckInFlaggedFor { get; init; }

    public IReadOnlyList<Extension> Extensions { get; init; } = [];

    /// <summary>The end date last flagged as approaching; an extension sets a new one.</summary>
    public DateOnly? StayEndingFlaggedFor { get; init; }

    public IReadOnlyList<Transition> Transitions { get; init; } = [];

    public DateTimeOffset LastChangedAt { get; init; } = RequestedAt;

    /// <summary>The stream version this state was built from; the ETag.</summary>
    public long Version { get; set; }

    /// <summary>In transit or arrived: check-ins are due and deadlines are watched.</summary>
    public bool Away { get; init; }

    /// <summary>Not closed: the case is in the relocation stage.</summary>
    public bool Active { get; init; } = true;

    /// <summary>The end of the stay's last day (UTC); what the stay-ending watch queries.</summary>
    public DateTimeOffset? StayEndsAt { get; init; }

    public int People => 1 + FamilyMembers;

    public static Relocation Create(RelocationRequested e) => new Relocation(
        e.RelocationId, e.CaseId, e.CaseReference, e.Country, e.Kind, e.Reason, e.FamilyMembers, e.Children, e.CheckInEvery, e.WasRecommended, e.RequestedBy, e.At)
    {
        Transitions = [new Transition(RelocationState.Requested, RelocationState.Requested, "request", e.RequestedBy, e.At)],
    };

    /// <summary>A plan keeps a funded relocation funded (re-planned before departure); else it is planned.</summary>
    public Relocation Apply(RelocationPlanned e) =>
        Moved(FundedBy is null ? RelocationState.Planned : RelocationState.Funded, "plan", e.By, e.At) with
    {
        Plan = new PlannedStay(e.StartOn, e.EndOn, e.Details, e.By, e.At),
        StayEndsAt = EndOf(e.EndOn),
    };

    public Relocation Apply(FundingReceived e) => this with
    {
        Funding = [.. Funding, new Funding(e.GrantId, e.Tranche, e.Amount, e.Currency, e.At)],
        LastChangedAt = e.At,
    };

    public Relocation Apply(RelocationFunded e) =>
        Moved(RelocationState.Funded, "fund", "system", e.At) with { FundedBy = e.GrantId };

    public Relocation Apply(RelocationDeparted e) => Moved(RelocationState.InTransit, "depart", e.By, e.At) with
    {
        DepartedAt = e.At,
        NextCheckInDueAt = e.NextCheckInDueAt,
    };

    public Relocation Apply(RelocationArrived e) =>
        Moved(RelocationState.Arrived, "arrive", e.By, e.At) with { ArrivedAt = e.At };

    public Relocation Apply(CheckInRecorded e) => this with
    {
        CheckIns = [.. CheckIns, new CheckIn(e.Status, e.Note, e.By, e.At)],
        NextCheckInDueAt = e.NextDueAt,
        MissedCheckInFlaggedFor = null,
        LastChangedAt = e.At,
    };

    public Relocation Apply(CheckInMissedFlagged e) => this with { MissedCheckInFlaggedFor = e.DueAt };

    public Relocation Apply(StayExtended e) => this with
    {
        Plan = Plan! with { EndOn = e.EndOn },
        StayEndsAt = EndOf(e.EndOn),
        Extensions = [.. Extensions, new Extension(e.From, e.EndOn, e.Reason, e.By, e.At)],
        LastChangedAt = e.At,
    };

    public Relocation Apply(StayEndingFlagged e) => this with { StayEndingFlaggedFor = e.EndOn };

    public Relocation Apply(DefenderReturned e) =>
        Moved(RelocationState.Returned, "return", e.By, e.At) with { EndedAt = e.At, NextCheckInDueAt = null };

    public Relocation Apply(DefenderResettled e) =>
        Moved(RelocationState.Resettled, "resettle", e.By, e.At) with { EndedAt = e.At, NextCheckInDueAt = null };

    public Relocation Apply(RelocationClosed e) => Moved(RelocationState.Closed, "close", e.By, e.At) with
    {
        ClosedAt = e.At,
        Outcome = e.Outcome,
        ClosingReason = e.Reason,
        NextCheckInDueAt = null,
    };

    public static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// Records the move an event says happened: to <paramref name="to"/>, by the step the API names
    /// <paramref name="step"/>. Each event owns its target state (and its step name) so that a recorded stream
    /// folds the same whatever the transition table becomes: the table decides which commands are accepted
    /// (<see cref="RelocationRules"/>), never what an accepted event meant. No version of an event carries
    /// the target state, so it follows from the event type alone; only a plan looks at whether a funding
    /// event came before it, as the rules did when they recorded it.
    /// </summary>
    private Relocation Moved(RelocationState to, string step, string by, DateTimeOffset at) => this with
    {
        State = to,
        Away = to is RelocationState.InTransit or RelocationState.Arrived,
        Active = to != RelocationState.Closed,
        Transitions = [.. Transitions, new Transition(State, to, step, by, at)],
        LastChangedAt = at,
    };
}
