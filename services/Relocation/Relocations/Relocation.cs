using System.Text.Json.Serialization;
using Protection.Contracts;
using Protection.Contracts.Relocation;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Published = Protection.Contracts.Relocation;

namespace Protection.Relocations.Relocations;

// The relocation's own events, in its Marten stream. Destinations, host organisations, plans, notes
// and reasons are personal data: sealed with the case's key (destroyed on erasure), never published.
// Each event says what it does to the relocation, the auditor's line for it (never sealed text) and
// what other services hear of it. Their members are their stored JSON: a new member or another order
// would change what the hash chain of a recorded stream is checked against.

/// <summary>
/// A relocation was requested for the case. Stored as <c>relocation_requested</c> (its first name);
/// published as <see cref="Published.RelocationRequested"/>.
/// </summary>
public sealed record RelocationOpened(
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
    DateTimeOffset At) : IStartOf<Relocation>, IPublishedAs<Relocation>
{
    public Relocation Start() => new(
        RelocationId,
        CaseId,
        CaseReference,
        Country,
        Kind,
        Reason,
        FamilyMembers,
        Children,
        CheckInEvery,
        WasRecommended,
        RequestedBy,
        At)
    {
        Transitions =
        [
            new Transition(RelocationState.Requested, RelocationState.Requested, "request", RequestedBy, At),
        ],
    };

    public string Describe() =>
        $"Relocation requested by {RequestedBy}: {Kind} ({Reason}), {FamilyMembers} family member(s) of whom "
        + $"{Children} children; check-ins every {CheckInEvery.TotalDays:0} days"
        + (WasRecommended ? "; triage had recommended it" : string.Empty);

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
    [
        new Published.RelocationRequested(
            after.CaseId, after.CaseReference, after.Id, Kind, Reason, after.People, WasRecommended, version, metadata),
    ];
}

/// <summary>Where, with whom and how: sealed. The dates are in clear (deadlines are computed from them).</summary>
public sealed record PlanDetails(
    string DestinationCountry,
    string DestinationCity,
    string HostOrganisation,
    string SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy);

/// <summary>
/// A plan keeps a funded relocation funded (re-planned before departure); else it is planned. The hosting
/// organisation, when it is one of the platform's, is named by its id in clear (an id is not personal data):
/// its staff read the relocation. A plan without one is stored as before (the member is left out), so the
/// recorded streams serialize, and hash, as they were written.
/// </summary>
public sealed record RelocationPlanned(
    Guid RelocationId,
    DateOnly StartOn,
    DateOnly EndOn,
    SealedData Details,
    string By,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HostOrganisationId = null)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    private const string Step = "plan";

    public Relocation Apply(Relocation state) =>
        state.Moved(state.FundedBy is null ? RelocationState.Planned : RelocationState.Funded, Step, By, At) with
        {
            Plan = new PlannedStay(StartOn, EndOn, Details, By, At),
            StayEndsAt = Relocation.EndOf(EndOn),
            HostOrganisationId = HostOrganisationId,
        };

    public string Describe() =>
        $"Planned by {By}: stay {StartOn:yyyy-MM-dd} to {EndOn:yyyy-MM-dd} (destination, host and plans sealed)"
        + (HostOrganisationId is null ? string.Empty : $"; hosted by organisation {HostOrganisationId}");

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [after.Progressed(Step, version, metadata)];
}

/// <summary>A tranche of an urgent-relocation grant for the case was paid (recorded whatever the state).</summary>
public sealed record FundingReceived(
    Guid RelocationId, Guid GrantId, int Tranche, decimal Amount, string Currency, DateTimeOffset At)
    : IEventOf<Relocation>
{
    public Relocation Apply(Relocation state) => state with
    {
        Funding = [.. state.Funding, new Funding(GrantId, Tranche, Amount, Currency, At)],
        LastChangedAt = At,
    };

    public string Describe() => $"Funding received: grant {GrantId}, tranche {Tranche}, {Amount} {Currency}";
}

/// <summary>The plan is paid for: the relocation may depart.</summary>
public sealed record RelocationFunded(Guid RelocationId, Guid GrantId, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    private const string Step = "fund";

    public Relocation Apply(Relocation state) =>
        state.Moved(RelocationState.Funded, Step, "system", At) with { FundedBy = GrantId };

    public string Describe() => $"Funded by grant {GrantId}";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [after.Progressed(Step, version, metadata)];
}

public sealed record RelocationDeparted(
    Guid RelocationId, string By, DateTimeOffset At, DateTimeOffset NextCheckInDueAt)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    private const string Step = "depart";

    public Relocation Apply(Relocation state) => state.Moved(RelocationState.InTransit, Step, By, At) with
    {
        DepartedAt = At,
        NextCheckInDueAt = NextCheckInDueAt,
    };

    public string Describe() => $"Departed (recorded by {By}); first check-in due {NextCheckInDueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [after.Progressed(Step, version, metadata)];
}

public sealed record RelocationArrived(Guid RelocationId, string By, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    private const string Step = "arrive";

    public Relocation Apply(Relocation state) =>
        state.Moved(RelocationState.Arrived, Step, By, At) with { ArrivedAt = At };

    public string Describe() => $"Arrived (recorded by {By})";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [after.Progressed(Step, version, metadata)];
}

/// <summary>
/// The defender checked in: the next check-in is due from now. Stored as <c>check_in_recorded</c> (its
/// first name); published as <see cref="Published.CheckInRecorded"/> (status only: triage escalates an
/// emergency).
/// </summary>
public sealed record DefenderCheckedIn(
    Guid RelocationId, CheckInStatus Status, SealedData? Note, string By, DateTimeOffset At, DateTimeOffset NextDueAt)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    public Relocation Apply(Relocation state) => state with
    {
        CheckIns = [.. state.CheckIns, new CheckIn(Status, Note, By, At)],
        NextCheckInDueAt = NextDueAt,
        MissedCheckInFlaggedFor = null,
        LastChangedAt = At,
    };

    public string Describe() => $"Check-in: {Status} (recorded by {By}); next due {NextDueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
    [
        new Published.CheckInRecorded(
            after.CaseId, after.CaseReference, after.Id, Status, NextDueAt, version, metadata),
    ];
}

/// <summary>
/// The check-in due at <see cref="DueAt"/> did not come within the grace period; recorded once per deadline.
/// </summary>
public sealed record CheckInMissedFlagged(Guid RelocationId, DateTimeOffset DueAt, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    public Relocation Apply(Relocation state) => state with { MissedCheckInFlaggedFor = DueAt };

    public string Describe() => $"Check-in missed: it was due {DueAt:u}";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [new CheckInMissed(after.CaseId, after.CaseReference, after.Id, DueAt, version, metadata)];
}

/// <summary>
/// The stay now ends on <see cref="EndOn"/> instead of <see cref="From"/>. Stored as <c>stay_extended</c>
/// (its first name); published as <see cref="Published.StayExtended"/>.
/// </summary>
public sealed record StayProlonged(
    Guid RelocationId, DateOnly From, DateOnly EndOn, SealedData Reason, string By, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    public Relocation Apply(Relocation state) => state with
    {
        Plan = state.Plan! with { EndOn = EndOn },
        StayEndsAt = Relocation.EndOf(EndOn),
        Extensions = [.. state.Extensions, new Extension(From, EndOn, Reason, By, At)],
        LastChangedAt = At,
    };

    public string Describe() => $"Stay extended by {By}: {From:yyyy-MM-dd} → {EndOn:yyyy-MM-dd} (reason recorded)";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
    [
        new Published.StayExtended(
            after.CaseId,
            after.CaseReference,
            after.Id,
            EndOn,
            EndOn.DayNumber - after.Plan!.StartOn.DayNumber,
            version,
            metadata),
    ];
}

/// <summary>The stay ends on <see cref="EndOn"/>, within the notice period; recorded once per end date.</summary>
public sealed record StayEndingFlagged(Guid RelocationId, DateOnly EndOn, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    public Relocation Apply(Relocation state) => state with { StayEndingFlaggedFor = EndOn };

    public string Describe() => $"Stay ends soon: {EndOn:yyyy-MM-dd}";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [new StayEnding(after.CaseId, after.CaseReference, after.Id, EndOn, version, metadata)];
}

public sealed record DefenderReturned(Guid RelocationId, string By, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    private const string Step = "return";

    public Relocation Apply(Relocation state) =>
        state.Moved(RelocationState.Returned, Step, By, At) with { EndedAt = At, NextCheckInDueAt = null };

    public string Describe() => $"Returned (recorded by {By})";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [after.Progressed(Step, version, metadata)];
}

public sealed record DefenderResettled(Guid RelocationId, string By, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    private const string Step = "resettle";

    public Relocation Apply(Relocation state) =>
        state.Moved(RelocationState.Resettled, Step, By, At) with { EndedAt = At, NextCheckInDueAt = null };

    public string Describe() => $"Resettled (recorded by {By})";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [after.Progressed(Step, version, metadata)];
}

/// <summary>
/// The relocation is over, with its outcome. Stored as <c>relocation_closed</c> (its first name);
/// published as <see cref="Published.RelocationClosed"/>.
/// </summary>
public sealed record RelocationConcluded(
    Guid RelocationId, RelocationOutcome Outcome, SealedData? Reason, string By, DateTimeOffset At)
    : IEventOf<Relocation>, IPublishedAs<Relocation>
{
    public Relocation Apply(Relocation state) => state.Moved(RelocationState.Closed, "close", By, At) with
    {
        ClosedAt = At,
        Outcome = Outcome,
        ClosingReason = Reason,
        NextCheckInDueAt = null,
    };

    public string Describe() => $"Closed by {By}: {Outcome}";

    public IEnumerable<IIntegrationEvent> Published(Relocation after, long version, EventMetadata metadata) =>
        [new Published.RelocationClosed(after.CaseId, after.CaseReference, after.Id, Outcome, version, metadata)];
}

public sealed record PlannedStay(DateOnly StartOn, DateOnly EndOn, SealedData Details, string By, DateTimeOffset At);

public sealed record Funding(Guid GrantId, int Tranche, decimal Amount, string Currency, DateTimeOffset At);

public sealed record CheckIn(CheckInStatus Status, SealedData? Note, string By, DateTimeOffset At);

public sealed record Extension(DateOnly From, DateOnly To, SealedData Reason, string By, DateTimeOffset At);

/// <summary>One step of the lifecycle, for the relocation's history.</summary>
public sealed record Transition(RelocationState From, RelocationState To, string Step, string By, DateTimeOffset At);

/// <summary>
/// A relocation from request to close: decision state and read model in one, folded inline by its
/// events' own <c>Apply</c> (read-your-writes for the officer, and the watch queries it).
/// </summary>
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

    /// <summary>The platform organisation hosting the defender, if the plan names one: its staff read it.</summary>
    public string? HostOrganisationId { get; init; }

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

    public static DateTimeOffset EndOf(DateOnly day) =>
        new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// Records the move an event says happened: to <paramref name="to"/>, by the step the API names
    /// <paramref name="step"/>. Each event owns its target state (and its step name) so that a recorded stream
    /// folds the same whatever the transition table becomes: the table decides which commands are accepted
    /// (<see cref="RelocationStateMachine"/>), never what an accepted event meant. No version of an event
    /// carries the target state, so it follows from the event type alone; only a plan looks at whether a
    /// funding event came before it, as the rules did when they recorded it.
    /// </summary>
    public Relocation Moved(RelocationState to, string step, string by, DateTimeOffset at) => this with
    {
        State = to,
        Away = to is RelocationState.InTransit or RelocationState.Arrived,
        Active = to != RelocationState.Closed,
        Transitions = [.. Transitions, new Transition(State, to, step, by, at)],
        LastChangedAt = at,
    };

    /// <summary>
    /// What other services hear of the move an event made by <paramref name="step"/>: from where to where, the
    /// planned dates and the next check-in due. Its transition is the last of that step: the events of one
    /// command (a plan that funds at once) publish from the state after all of them, and hold one of each step.
    /// </summary>
    public RelocationProgressed Progressed(string step, long version, EventMetadata metadata)
    {
        var moved = Transitions.Last(t => t.Step == step);
        return new RelocationProgressed(
            CaseId,
            CaseReference,
            Id,
            moved.From,
            moved.To,
            Plan?.StartOn,
            Plan?.EndOn,
            NextCheckInDueAt,
            version,
            metadata);
    }
}
