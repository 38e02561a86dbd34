using JasperFx.Events;
using Protection.Contracts;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations;
using Protection.Relocations.Relocations.CheckingIn;
using Protection.Relocations.Relocations.Closing;
using Protection.Relocations.Relocations.Extending;
using Protection.Relocations.Relocations.Financing;
using Protection.Relocations.Relocations.Moving;
using Protection.Relocations.Relocations.Planning;
using Protection.Relocations.Relocations.Requesting;
using Protection.Relocations.Relocations.Watching;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using CheckInStatus = Protection.Contracts.Relocation.CheckInStatus;
using RelocationProgressed = Protection.Contracts.Relocation.RelocationProgressed;
using RelocationKind = Protection.Contracts.Relocation.RelocationKind;
using RelocationOutcome = Protection.Contracts.Relocation.RelocationOutcome;
using RelocationReason = Protection.Contracts.Relocation.RelocationReason;
using RelocationState = Protection.Contracts.Relocation.RelocationState;
using RiskLevel = Protection.Contracts.Triage.RiskLevel;

namespace Protection.UnitTests.Relocation;

// The folder's namespace would hide the aggregate of the same name.
using Relocation = Protection.Relocations.Relocations.Relocation;

/// <summary>
/// The relocation rules with their defaults: check-in every 7 days with 12 h grace, a planned stay of at most
/// 3 months, at most 12 months with extensions, the end of the stay flagged 14 days ahead.
/// </summary>
public sealed class RelocationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly StartOn = new(2026, 12, 1);
    private static readonly DateOnly EndOn = new(2027, 2, 1);
    private static readonly Guid GrantId = Guid.CreateVersion7();

    private const string Officer = "officer-olivia";
    private const string CaseCountry = "CO";
    private const string Reason = "The threat has subsided";

    private static readonly Func<PlanDetails, SealedData> SealPlan = _ => new SealedData("sealed");
    private static readonly Func<string, SealedData> SealText = _ => new SealedData("sealed");

    private static readonly RelocationOptions Rules = new();

    /// <summary>Every (state, command) pair but funding, and where it leads; null where it is refused.</summary>
    public static readonly TheoryData<RelocationState, RelocationCommand, RelocationState?> Table = new()
    {
        { RelocationState.Requested, RelocationCommand.Plan, RelocationState.Planned },
        { RelocationState.Requested, RelocationCommand.Depart, null },
        { RelocationState.Requested, RelocationCommand.Arrive, null },
        { RelocationState.Requested, RelocationCommand.CheckIn, null },
        { RelocationState.Requested, RelocationCommand.Extend, null },
        { RelocationState.Requested, RelocationCommand.Return, null },
        { RelocationState.Requested, RelocationCommand.Resettle, null },
        { RelocationState.Requested, RelocationCommand.Close, RelocationState.Closed },

        { RelocationState.Planned, RelocationCommand.Plan, RelocationState.Planned },
        { RelocationState.Planned, RelocationCommand.Depart, null },
        { RelocationState.Planned, RelocationCommand.Arrive, null },
        { RelocationState.Planned, RelocationCommand.CheckIn, null },
        { RelocationState.Planned, RelocationCommand.Extend, null },
        { RelocationState.Planned, RelocationCommand.Return, null },
        { RelocationState.Planned, RelocationCommand.Resettle, null },
        { RelocationState.Planned, RelocationCommand.Close, RelocationState.Closed },

        { RelocationState.Funded, RelocationCommand.Plan, RelocationState.Funded },
        { RelocationState.Funded, RelocationCommand.Depart, RelocationState.InTransit },
        { RelocationState.Funded, RelocationCommand.Arrive, null },
        { RelocationState.Funded, RelocationCommand.CheckIn, null },
        { RelocationState.Funded, RelocationCommand.Extend, null },
        { RelocationState.Funded, RelocationCommand.Return, null },
        { RelocationState.Funded, RelocationCommand.Resettle, null },
        { RelocationState.Funded, RelocationCommand.Close, RelocationState.Closed },

        { RelocationState.InTransit, RelocationCommand.Plan, null },
        { RelocationState.InTransit, RelocationCommand.Depart, null },
        { RelocationState.InTransit, RelocationCommand.Arrive, RelocationState.Arrived },
        { RelocationState.InTransit, RelocationCommand.CheckIn, RelocationState.InTransit },
        { RelocationState.InTransit, RelocationCommand.Extend, null },
        { RelocationState.InTransit, RelocationCommand.Return, RelocationState.Returned },
        { RelocationState.InTransit, RelocationCommand.Resettle, null },
        { RelocationState.InTransit, RelocationCommand.Close, null },

        { RelocationState.Arrived, RelocationCommand.Plan, null },
        { RelocationState.Arrived, RelocationCommand.Depart, null },
        { RelocationState.Arrived, RelocationCommand.Arrive, null },
        { RelocationState.Arrived, RelocationCommand.CheckIn, RelocationState.Arrived },
        { RelocationState.Arrived, RelocationCommand.Extend, RelocationState.Arrived },
        { RelocationState.Arrived, RelocationCommand.Return, RelocationState.Returned },
        { RelocationState.Arrived, RelocationCommand.Resettle, RelocationState.Resettled },
        { RelocationState.Arrived, RelocationCommand.Close, null },

        { RelocationState.Returned, RelocationCommand.Plan, null },
        { RelocationState.Returned, RelocationCommand.Depart, null },
        { RelocationState.Returned, RelocationCommand.Arrive, null },
        { RelocationState.Returned, RelocationCommand.CheckIn, null },
        { RelocationState.Returned, RelocationCommand.Extend, null },
        { RelocationState.Returned, RelocationCommand.Return, null },
        { RelocationState.Returned, RelocationCommand.Resettle, null },
        { RelocationState.Returned, RelocationCommand.Close, RelocationState.Closed },

        { RelocationState.Resettled, RelocationCommand.Plan, null },
        { RelocationState.Resettled, RelocationCommand.Depart, null },
        { RelocationState.Resettled, RelocationCommand.Arrive, null },
        { RelocationState.Resettled, RelocationCommand.CheckIn, null },
        { RelocationState.Resettled, RelocationCommand.Extend, null },
        { RelocationState.Resettled, RelocationCommand.Return, null },
        { RelocationState.Resettled, RelocationCommand.Resettle, null },
        { RelocationState.Resettled, RelocationCommand.Close, RelocationState.Closed },

        { RelocationState.Closed, RelocationCommand.Plan, null },
        { RelocationState.Closed, RelocationCommand.Depart, null },
        { RelocationState.Closed, RelocationCommand.Arrive, null },
        { RelocationState.Closed, RelocationCommand.CheckIn, null },
        { RelocationState.Closed, RelocationCommand.Extend, null },
        { RelocationState.Closed, RelocationCommand.Return, null },
        { RelocationState.Closed, RelocationCommand.Resettle, null },
        { RelocationState.Closed, RelocationCommand.Close, null },
    };

    /// <summary>
    /// Funding in every state and where it leads; null where it is recorded without moving the relocation.
    /// </summary>
    public static readonly TheoryData<RelocationState, RelocationState?> FundingTable = new()
    {
        { RelocationState.Requested, null },
        { RelocationState.Planned, RelocationState.Funded },
        { RelocationState.Funded, null },
        { RelocationState.InTransit, null },
        { RelocationState.Arrived, null },
        { RelocationState.Returned, null },
        { RelocationState.Resettled, null },
        { RelocationState.Closed, null },
    };

    public static readonly TheoryData<RelocationState, string[]> AllowedStepsTable = new()
    {
        { RelocationState.Requested, ["plan", "close"] },
        { RelocationState.Planned, ["plan", "close"] },
        { RelocationState.Funded, ["plan", "depart", "close"] },
        { RelocationState.InTransit, ["arrive", "check-in", "return"] },
        { RelocationState.Arrived, ["check-in", "extend", "return", "resettle"] },
        { RelocationState.Returned, ["close"] },
        { RelocationState.Resettled, ["close"] },
        { RelocationState.Closed, [] },
    };

    private static CaseRecord Case(
        bool closed = false,
        Guid? activeRelocationId = null,
        Recommendation? recommendation = null,
        params Funding[] unassignedFunding) => new()
    {
        Id = Guid.CreateVersion7(),
        Reference = "PC-2026-000042",
        Country = CaseCountry,
        Risk = RiskLevel.Critical,
        Closed = closed,
        OpenedBy = Officer,
        ActiveRelocationId = activeRelocationId,
        Recommendation = recommendation,
        UnassignedFunding = [.. unassignedFunding],
    };

    private static Funding Tranche(int tranche, Guid? grantId = null, DateTimeOffset? at = null) =>
        new(grantId ?? GrantId, tranche, 2_500m, "EUR", at ?? Now);

    private static string Destination(RelocationKind kind) => kind switch
    {
        RelocationKind.InCountrySafeHouse => CaseCountry,
        RelocationKind.Regional => "EC",
        _ => "ES",
    };

    private static PlanProposal ValidPlan(RelocationKind kind = RelocationKind.Regional) => new(
        Destination(kind),
        "Quito",
        "Casa de Acogida",
        StartOn,
        EndOn,
        "Travel by road with an escort; daily call at 20:00; hotline if anything goes wrong.",
        kind == RelocationKind.International ? "Humanitarian visa applied for through the embassy." : null,
        kind == RelocationKind.International ? "Return once the risk assessment drops to medium." : null);

    private static Relocation Fold(Relocation? relocation, IEnumerable<object> events) =>
        events.Aggregate(relocation, (state, e) => Projection.Evolve(state, Guid.Empty, new Event<object>(e)))!;

    private static readonly SelfApplyingProjection<Relocation> Projection = new();

    private static IReadOnlyList<object> Accepted(Outcome<IReadOnlyList<object>> change)
    {
        change.Refusal.ShouldBeNull();
        var events = change.Value.ShouldNotBeNull();
        events.ShouldNotBeEmpty();
        return events;
    }

    private static Refusal ShouldBeRefused(Outcome<IReadOnlyList<object>> change, RefusalKind kind)
    {
        var refusal = change.Refusal.ShouldNotBeNull();
        refusal.Kind.ShouldBe(kind);
        change.Value.ShouldBeNull();
        return refusal;
    }

    private static void ShouldBeRefusedOn(Outcome<IReadOnlyList<object>> change, params string[] fields)
    {
        var refusal = ShouldBeRefused(change, RefusalKind.Invalid);
        refusal.Errors.ShouldNotBeNull().Keys.ShouldBe(fields, ignoreOrder: true);
    }

    private static Outcome<IReadOnlyList<object>> Plan(
        Relocation relocation, PlanProposal plan, DateTimeOffset? at = null) =>
        PlanRelocation.Decide(Rules, relocation, plan, SealPlan, Officer, at ?? Now);

    private static Outcome<IReadOnlyList<object>> Extend(
        Relocation relocation, DateOnly endOn, string? reason, DateTimeOffset? at = null) =>
        ExtendStay.Decide(Rules, relocation, endOn, reason, SealText, Officer, at ?? Now);

    private static Outcome<IReadOnlyList<object>> Request(
        CaseRecord? @case = null,
        RelocationKind kind = RelocationKind.Regional,
        int familyMembers = 2,
        int children = 1,
        int? checkInEveryDays = null) =>
        RequestRelocation.Decide(
            Rules,
            @case ?? Case(),
            Guid.CreateVersion7(),
            kind,
            RelocationReason.IncreasedRisk,
            familyMembers,
            children,
            checkInEveryDays,
            Officer,
            Now);

    private static Relocation Requested(
        RelocationKind kind = RelocationKind.Regional, CaseRecord? @case = null, int? checkInEveryDays = null) =>
        Fold(null, Accepted(Request(@case, kind, checkInEveryDays: checkInEveryDays)));

    private static Outcome<IReadOnlyList<object>> Issue(
        Relocation relocation, RelocationCommand command, DateTimeOffset at) => command switch
    {
        RelocationCommand.Plan => Plan(relocation, ValidPlan(relocation.Kind), at),
        RelocationCommand.Fund => FundRelocation.Decide(relocation, Tranche(1, at: at)).ToArray(),
        RelocationCommand.Depart => MoveRelocation.Depart(relocation, Officer, at),
        RelocationCommand.Arrive => MoveRelocation.Arrive(relocation, Officer, at),
        RelocationCommand.CheckIn => RecordCheckIn.Decide(relocation, CheckInStatus.Safe, null, Officer, at),
        RelocationCommand.Extend =>
            Extend(relocation, EndOn.AddMonths(2), "The host organisation asked for more time.", at),
        RelocationCommand.Return => MoveRelocation.Return(relocation, Officer, at),
        RelocationCommand.Resettle => MoveRelocation.Resettle(relocation, Officer, at),
        RelocationCommand.Close => CloseRelocation.Decide(relocation, Reason, SealText, Officer, at),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static RelocationCommand[] PathTo(RelocationState state) => state switch
    {
        RelocationState.Requested => [],
        RelocationState.Planned => [RelocationCommand.Plan],
        RelocationState.Funded => [RelocationCommand.Plan, RelocationCommand.Fund],
        RelocationState.InTransit => [RelocationCommand.Plan, RelocationCommand.Fund, RelocationCommand.Depart],
        RelocationState.Arrived =>
            [RelocationCommand.Plan, RelocationCommand.Fund, RelocationCommand.Depart, RelocationCommand.Arrive],
        RelocationState.Returned => [.. PathTo(RelocationState.Arrived), RelocationCommand.Return],
        RelocationState.Resettled => [.. PathTo(RelocationState.Arrived), RelocationCommand.Resettle],
        RelocationState.Closed => [.. PathTo(RelocationState.Returned), RelocationCommand.Close],
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>
    /// A relocation really in <paramref name="state"/>: requested, then each step of the way issued through the
    /// rules at <see cref="Now"/>.
    /// </summary>
    private static Relocation In(
        RelocationState state, RelocationKind kind = RelocationKind.Regional, int? checkInEveryDays = null)
    {
        var relocation = Requested(kind, checkInEveryDays: checkInEveryDays);
        foreach (var command in PathTo(state))
        {
            relocation = Fold(relocation, Accepted(Issue(relocation, command, Now)));
        }

        relocation.State.ShouldBe(state);
        return relocation;
    }

    // The lifecycle table

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_command_in_every_state_moves_the_relocation_as_the_table_says(
        RelocationState state, RelocationCommand command, RelocationState? expected)
    {
        var relocation = In(state);

        var change = Issue(relocation, command, Now.AddDays(2));

        if (expected is { } next)
        {
            Fold(relocation, Accepted(change)).State.ShouldBe(next);
        }
        else
        {
            var refusal = ShouldBeRefused(change, RefusalKind.Conflict);
            var extensions = refusal.Extensions.ShouldNotBeNull();
            extensions["state"].ShouldBe(RelocationStateMachine.Name(state));
            extensions["allowed"].ShouldBeAssignableTo<IEnumerable<string>>()
                .ShouldBe(RelocationStateMachine.AllowedSteps(state));
        }
    }

    [Theory]
    [MemberData(nameof(FundingTable))]
    public void Funding_moves_only_a_planned_relocation(RelocationState state, RelocationState? expected)
    {
        var relocation = In(state);

        var events = FundRelocation.Decide(relocation, Tranche(2));

        var after = Fold(relocation, events);
        after.State.ShouldBe(expected ?? state);
        if (state == RelocationState.Closed)
        {
            events.ShouldBeEmpty();
        }
        else
        {
            events[0].ShouldBeOfType<FundingReceived>().Tranche.ShouldBe(2);
            events.Count.ShouldBe(expected is null ? 1 : 2);
        }
    }

    [Fact]
    public void The_literal_table_is_the_state_machine()
    {
        var commanded = Table
            .Select(row => ((RelocationState)row[0], (RelocationCommand)row[1], (RelocationState?)row[2]))
            .Where(row => row.Item3 is not null)
            .Select(row => (row.Item1, row.Item2, row.Item3!.Value));
        var funded = FundingTable
            .Select(row => ((RelocationState)row[0], RelocationCommand.Fund, (RelocationState?)row[1]))
            .Where(row => row.Item3 is not null)
            .Select(row => (row.Item1, row.Item2, row.Item3!.Value));

        var machine = RelocationStateMachine.Transitions.Select(t => (t.Key.From, t.Key.Command, t.Value));

        machine.ShouldBe(commanded.Concat(funded), ignoreOrder: true);
        Table.Count.ShouldBe(
            Enum.GetValues<RelocationState>().Length * (Enum.GetValues<RelocationCommand>().Length - 1));
    }

    [Theory]
    [MemberData(nameof(AllowedStepsTable))]
    public void The_allowed_steps_are_named_as_the_api_names_them(RelocationState state, string[] expected)
    {
        RelocationStateMachine.AllowedSteps(state).ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public void The_refusal_of_a_closed_relocation_says_nothing_more_can_happen()
    {
        var refusal = RelocationStateMachine.RefusalOf(RelocationState.Closed, RelocationCommand.Plan)
            .ShouldNotBeNull();

        refusal.Kind.ShouldBe(RefusalKind.Conflict);
        refusal.Title.ShouldContain("Nothing more can happen");
        refusal.Extensions.ShouldNotBeNull()["allowed"].ShouldBeAssignableTo<IEnumerable<string>>().ShouldBeEmpty();
    }

    // Funding

    [Fact]
    public void Funding_a_planned_relocation_makes_it_funded()
    {
        var planned = In(RelocationState.Planned);

        var events = FundRelocation.Decide(planned, Tranche(1));

        events.Count.ShouldBe(2);
        var received = events[0].ShouldBeOfType<FundingReceived>();
        received.GrantId.ShouldBe(GrantId);
        received.Amount.ShouldBe(2_500m);
        events[1].ShouldBeOfType<RelocationFunded>().GrantId.ShouldBe(GrantId);
        var funded = Fold(planned, events);
        funded.State.ShouldBe(RelocationState.Funded);
        funded.FundedBy.ShouldBe(GrantId);
        funded.Funding.ShouldHaveSingleItem().Tranche.ShouldBe(1);
    }

    [Fact]
    public void Funding_before_the_plan_waits_for_it_and_the_plan_then_makes_it_funded()
    {
        var requested = Requested();

        var events = FundRelocation.Decide(requested, Tranche(1));

        events.ShouldHaveSingleItem().ShouldBeOfType<FundingReceived>();
        var waiting = Fold(requested, events);
        waiting.State.ShouldBe(RelocationState.Requested);
        waiting.Funding.ShouldHaveSingleItem();

        var plan = Accepted(Plan(waiting, ValidPlan()));

        plan.Count.ShouldBe(2);
        plan[0].ShouldBeOfType<RelocationPlanned>();
        plan[1].ShouldBeOfType<RelocationFunded>().GrantId.ShouldBe(GrantId);
        var funded = Fold(waiting, plan);
        funded.State.ShouldBe(RelocationState.Funded);
        funded.Transitions.Skip(1).Select(t => (t.From, t.To)).ShouldBe(
        [
            (RelocationState.Requested, RelocationState.Planned),
            (RelocationState.Planned, RelocationState.Funded),
        ]);
    }

    [Fact]
    public void A_plan_that_funds_at_once_tells_other_services_both_steps()
    {
        var requested = Requested();
        var waiting = Fold(requested, FundRelocation.Decide(requested, Tranche(1)));
        var plan = Accepted(Plan(waiting, ValidPlan()));
        var after = Fold(waiting, plan);
        var metadata = new EventMetadata(Guid.CreateVersion7(), Now, Officer, "officer", "correlation", "cause");

        var published = plan.OfType<IPublishedAs<Relocation>>().SelectMany(e => e.Published(after, 4, metadata));

        published.Cast<RelocationProgressed>().Select(p => (p.From, p.State, p.StartOn, p.EndOn)).ShouldBe(
        [
            (RelocationState.Requested, RelocationState.Planned, StartOn, EndOn),
            (RelocationState.Planned, RelocationState.Funded, StartOn, EndOn),
        ]);
    }

    [Theory]
    [InlineData(RelocationState.Requested)]
    [InlineData(RelocationState.Planned)]
    public void The_same_tranche_twice_changes_nothing(RelocationState state)
    {
        var relocation = In(state);
        var once = Fold(relocation, FundRelocation.Decide(relocation, Tranche(1)));

        FundRelocation.Decide(once, Tranche(1)).ShouldBeEmpty();
        FundRelocation.Decide(once, Tranche(1, at: Now.AddHours(1))).ShouldBeEmpty();
        once.Funding.ShouldHaveSingleItem();
    }

    [Fact]
    public void The_same_tranche_number_of_another_grant_is_recorded()
    {
        var funded = In(RelocationState.Funded);

        var events = FundRelocation.Decide(funded, Tranche(1, grantId: Guid.CreateVersion7()));

        events.ShouldHaveSingleItem().ShouldBeOfType<FundingReceived>();
        Fold(funded, events).Funding.Count.ShouldBe(2);
    }

    [Fact]
    public void A_closed_relocation_ignores_funding()
    {
        var closed = In(RelocationState.Closed);

        FundRelocation.Decide(closed, Tranche(2)).ShouldBeEmpty();
        FundRelocation.Decide(closed, Tranche(1, grantId: Guid.CreateVersion7())).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RelocationState.Funded)]
    [InlineData(RelocationState.InTransit)]
    [InlineData(RelocationState.Arrived)]
    public void Later_tranches_are_recorded_without_a_change_of_state(RelocationState state)
    {
        var relocation = In(state);

        var events = FundRelocation.Decide(relocation, Tranche(2, at: Now.AddDays(10)));

        events.ShouldHaveSingleItem().ShouldBeOfType<FundingReceived>().Tranche.ShouldBe(2);
        var after = Fold(relocation, events);
        after.State.ShouldBe(state);
        after.Funding.Select(f => f.Tranche).ShouldBe([1, 2]);
        after.FundedBy.ShouldBe(GrantId);
    }

    // Planning

    [Fact]
    public void An_empty_plan_names_every_missing_part_at_once()
    {
        var change = Plan(Requested(), new PlanProposal(null, null, null, null, null, null, null, null));

        ShouldBeRefusedOn(
            change, "destination.country", "destination.city", "hostOrganisation", "securityPlan", "startOn");
    }

    [Fact]
    public void A_blank_or_too_short_plan_is_refused_on_each_part()
    {
        var plan = ValidPlan() with { DestinationCity = "  ", HostOrganisation = "X", SecurityPlan = "Be safe" };

        ShouldBeRefusedOn(Plan(Requested(), plan), "destination.city", "hostOrganisation", "securityPlan");
    }

    [Fact]
    public void An_international_plan_needs_a_visa_plan_and_a_return_strategy()
    {
        var relocation = Requested(RelocationKind.International);
        var plan = ValidPlan(RelocationKind.International) with { VisaPlan = null, ReturnStrategy = null };

        ShouldBeRefusedOn(Plan(relocation, plan), "visaPlan", "returnStrategy");
    }

    [Fact]
    public void An_international_plan_with_a_visa_plan_and_a_return_strategy_is_accepted()
    {
        var relocation = Requested(RelocationKind.International);

        var planned = Fold(relocation, Accepted(Plan(relocation, ValidPlan(RelocationKind.International))));

        planned.State.ShouldBe(RelocationState.Planned);
    }

    [Theory]
    [InlineData(RelocationKind.Regional)]
    [InlineData(RelocationKind.InCountrySafeHouse)]
    public void A_regional_or_in_country_plan_needs_no_visa_plan_or_return_strategy(RelocationKind kind)
    {
        var relocation = Requested(kind);

        var events = Accepted(Plan(relocation, ValidPlan(kind)));

        var planned = events.ShouldHaveSingleItem().ShouldBeOfType<RelocationPlanned>();
        planned.StartOn.ShouldBe(StartOn);
        planned.EndOn.ShouldBe(EndOn);
        planned.Details.ShouldBe(new SealedData("sealed"));
        var after = Fold(relocation, events);
        after.State.ShouldBe(RelocationState.Planned);
        after.Plan.ShouldNotBeNull().EndOn.ShouldBe(EndOn);
    }

    [Fact]
    public void The_plan_is_sealed_with_its_parts_trimmed()
    {
        PlanDetails? sealedDetails = null;
        var plan = ValidPlan(RelocationKind.International) with
        {
            DestinationCity = "  Madrid ",
            HostOrganisation = " Refugio ",
        };

        Accepted(PlanRelocation.Decide(
            Rules,
            Requested(RelocationKind.International),
            plan,
            d =>
            {
                sealedDetails = d;
                return new SealedData("sealed");
            },
            Officer,
            Now));

        var details = sealedDetails.ShouldNotBeNull();
        details.DestinationCountry.ShouldBe("ES");
        details.DestinationCity.ShouldBe("Madrid");
        details.HostOrganisation.ShouldBe("Refugio");
        details.VisaPlan.ShouldBe(plan.VisaPlan);
        details.ReturnStrategy.ShouldBe(plan.ReturnStrategy);
    }

    [Theory]
    [InlineData("EC")]
    [InlineData("BR")]
    public void An_in_country_safe_house_must_be_in_the_case_country(string destination)
    {
        var plan = ValidPlan(RelocationKind.InCountrySafeHouse) with { DestinationCountry = destination };

        ShouldBeRefusedOn(Plan(Requested(RelocationKind.InCountrySafeHouse), plan), "destination.country");
    }

    [Theory]
    [InlineData(RelocationKind.Regional)]
    [InlineData(RelocationKind.International)]
    public void A_regional_or_international_relocation_must_leave_the_case_country(RelocationKind kind)
    {
        var plan = ValidPlan(kind) with { DestinationCountry = CaseCountry };

        ShouldBeRefusedOn(Plan(Requested(kind), plan), "destination.country");
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("Ec")]
    [InlineData("ECU")]
    [InlineData("E1")]
    [InlineData("E")]
    public void The_destination_country_must_be_a_two_letter_upper_case_code(string country)
    {
        var plan = ValidPlan() with { DestinationCountry = country };

        ShouldBeRefusedOn(Plan(Requested(), plan), "destination.country");
    }

    [Fact]
    public void Without_an_end_date_the_stay_ends_three_months_after_it_starts()
    {
        var relocation = Requested();

        var events = Accepted(Plan(relocation, ValidPlan() with { EndOn = null }));

        events.ShouldHaveSingleItem().ShouldBeOfType<RelocationPlanned>().EndOn.ShouldBe(new DateOnly(2027, 3, 1));
        Fold(relocation, events).StayEndsAt.ShouldBe(new DateTimeOffset(2027, 3, 2, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_stay_of_exactly_three_months_can_be_planned()
    {
        var events = Accepted(Plan(Requested(), ValidPlan() with { EndOn = StartOn.AddMonths(3) }));

        events.ShouldHaveSingleItem().ShouldBeOfType<RelocationPlanned>().EndOn.ShouldBe(new DateOnly(2027, 3, 1));
    }

    [Fact]
    public void A_stay_planned_a_day_beyond_three_months_is_refused_on_endOn()
    {
        var plan = ValidPlan() with { EndOn = StartOn.AddMonths(3).AddDays(1) };

        ShouldBeRefusedOn(Plan(Requested(), plan), "endOn");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_stay_that_ends_on_or_before_its_start_is_refused_on_endOn(int daysAfterStart)
    {
        var plan = ValidPlan() with { EndOn = StartOn.AddDays(daysAfterStart) };

        ShouldBeRefusedOn(Plan(Requested(), plan), "endOn");
    }

    [Theory]
    // Now is 2026-11-25 10:00 UTC: the 24th at UTC−12, the 26th at UTC+14.
    [InlineData("2026-10-24", true)]
    [InlineData("2026-10-23", false)]
    [InlineData("2027-11-26", true)]
    [InlineData("2027-11-27", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    public void A_stay_starts_from_a_month_ago_to_a_year_ahead(string startOn, bool accepted)
    {
        var plan = ValidPlan() with { StartOn = DateOnly.Parse(startOn), EndOn = null };

        var change = Plan(Requested(), plan);

        if (accepted)
        {
            Accepted(change).ShouldHaveSingleItem().ShouldBeOfType<RelocationPlanned>();
        }
        else
        {
            ShouldBeRefusedOn(change, "startOn");
        }
    }

    [Fact]
    public void Re_planning_a_funded_relocation_keeps_it_funded_with_the_new_dates()
    {
        var funded = In(RelocationState.Funded);
        var newEnd = new DateOnly(2027, 2, 15);

        var events = Accepted(Plan(funded, ValidPlan() with { EndOn = newEnd }, Now.AddDays(1)));

        events.ShouldHaveSingleItem().ShouldBeOfType<RelocationPlanned>();
        var replanned = Fold(funded, events);
        replanned.State.ShouldBe(RelocationState.Funded);
        replanned.Plan.ShouldNotBeNull().EndOn.ShouldBe(newEnd);
    }

    // Requesting

    [Fact]
    public void A_relocation_cannot_be_requested_on_a_closed_case()
    {
        ShouldBeRefused(Request(Case(closed: true)), RefusalKind.Conflict);
    }

    [Fact]
    public void A_case_with_a_relocation_in_progress_is_refused_with_its_id()
    {
        var active = Guid.CreateVersion7();

        var refusal = ShouldBeRefused(Request(Case(activeRelocationId: active)), RefusalKind.Conflict);

        refusal.Extensions.ShouldNotBeNull()["relocationId"].ShouldBe(active);
    }

    [Fact]
    public void More_children_than_family_members_is_refused_on_people_children()
    {
        ShouldBeRefusedOn(Request(familyMembers: 2, children: 3), "people.children");
    }

    [Fact]
    public void A_family_of_only_children_can_be_requested()
    {
        var requested = Accepted(Request(familyMembers: 3, children: 3))
            .ShouldHaveSingleItem().ShouldBeOfType<RelocationOpened>();

        requested.Children.ShouldBe(3);
        requested.Start().People.ShouldBe(4);
    }

    [Fact]
    public void A_request_records_the_case_and_starts_requested()
    {
        var @case = Case();
        var id = Guid.CreateVersion7();

        var events = Accepted(RequestRelocation.Decide(
            Rules, @case, id, RelocationKind.International, RelocationReason.Respite, 2, 1, null, Officer, Now));

        var requested = events.ShouldHaveSingleItem().ShouldBeOfType<RelocationOpened>();
        requested.RelocationId.ShouldBe(id);
        requested.CaseId.ShouldBe(@case.Id);
        requested.CaseReference.ShouldBe(@case.Reference);
        requested.Country.ShouldBe(CaseCountry);
        requested.Kind.ShouldBe(RelocationKind.International);
        requested.Reason.ShouldBe(RelocationReason.Respite);
        requested.RequestedBy.ShouldBe(Officer);
        requested.At.ShouldBe(Now);
        var relocation = Fold(null, events);
        relocation.State.ShouldBe(RelocationState.Requested);
        relocation.Active.ShouldBeTrue();
        relocation.Away.ShouldBeFalse();
    }

    [Fact]
    public void Check_ins_are_due_every_seven_days_by_default()
    {
        var requested = Accepted(Request()).ShouldHaveSingleItem().ShouldBeOfType<RelocationOpened>();

        requested.CheckInEvery.ShouldBe(TimeSpan.FromDays(7));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(14)]
    public void Check_ins_are_due_as_often_as_the_request_says(int days)
    {
        var relocation = Requested(checkInEveryDays: days);

        relocation.CheckInEvery.ShouldBe(TimeSpan.FromDays(days));
    }

    [Fact]
    public void Funding_paid_before_the_request_is_carried_into_the_relocation()
    {
        var first = Tranche(1, at: Now.AddDays(-2));
        var second = Tranche(2, at: Now.AddDays(-1));
        var @case = Case(unassignedFunding: [first, second]);
        var id = Guid.CreateVersion7();

        var events = Accepted(RequestRelocation.Decide(
            Rules, @case, id, RelocationKind.Regional, RelocationReason.IncreasedRisk, 0, 0, null, Officer, Now));

        events.Count.ShouldBe(3);
        events[0].ShouldBeOfType<RelocationOpened>();
        events.Skip(1).ShouldBe(
        [
            new FundingReceived(id, GrantId, 1, 2_500m, "EUR", first.At),
            new FundingReceived(id, GrantId, 2, 2_500m, "EUR", second.At),
        ]);
        var relocation = Fold(null, events);
        relocation.State.ShouldBe(RelocationState.Requested);
        relocation.Funding.ShouldBe([first, second]);
    }

    [Fact]
    public void A_request_after_triage_recommended_it_is_marked_recommended()
    {
        var recommendation = new Recommendation(RiskLevel.Critical, ["critical-risk"], Now.AddHours(-3), 7);

        Requested(@case: Case(recommendation: recommendation)).WasRecommended.ShouldBeTrue();
    }

    [Fact]
    public void A_request_without_a_recommendation_is_not_marked_recommended()
    {
        Requested(@case: Case()).WasRecommended.ShouldBeFalse();
    }

    // Check-ins and deadlines

    [Fact]
    public void Departing_sets_the_first_check_in_one_interval_later()
    {
        var funded = In(RelocationState.Funded);
        var departure = Now.AddDays(6);

        var departed = Accepted(MoveRelocation.Depart(funded, Officer, departure))
            .ShouldHaveSingleItem().ShouldBeOfType<RelocationDeparted>();

        departed.NextCheckInDueAt.ShouldBe(departure.AddDays(7));
        var away = Fold(funded, [departed]);
        away.NextCheckInDueAt.ShouldBe(departure.AddDays(7));
        away.DepartedAt.ShouldBe(departure);
        away.Away.ShouldBeTrue();
    }

    [Fact]
    public void Departing_with_a_custom_interval_sets_the_first_check_in_that_much_later()
    {
        var away = In(RelocationState.InTransit, checkInEveryDays: 3);

        away.NextCheckInDueAt.ShouldBe(Now.AddDays(3));
    }

    [Fact]
    public void A_check_in_moves_the_next_deadline_to_one_interval_after_it()
    {
        var arrived = In(RelocationState.Arrived, checkInEveryDays: 3);
        var checkedInAt = Now.AddDays(2).AddHours(5);

        var events = Accepted(
            RecordCheckIn.Decide(arrived, CheckInStatus.Concern, new SealedData("note"), Officer, checkedInAt));

        events.ShouldHaveSingleItem().ShouldBeOfType<DefenderCheckedIn>().NextDueAt.ShouldBe(checkedInAt.AddDays(3));
        var after = Fold(arrived, events);
        after.NextCheckInDueAt.ShouldBe(checkedInAt.AddDays(3));
        after.CheckIns.ShouldHaveSingleItem().Status.ShouldBe(CheckInStatus.Concern);
        after.State.ShouldBe(RelocationState.Arrived);
    }

    [Theory]
    [InlineData(RelocationState.InTransit)]
    [InlineData(RelocationState.Arrived)]
    public void A_check_in_is_missed_from_the_end_of_its_grace_period(RelocationState state)
    {
        var away = In(state);
        var due = away.NextCheckInDueAt.ShouldNotBeNull();
        due.ShouldBe(Now.AddDays(7));

        RelocationWatch.IsCheckInMissed(Rules, away, due.AddHours(12).AddSeconds(-1)).ShouldBeFalse();
        RelocationWatch.IsCheckInMissed(Rules, away, due.AddHours(12)).ShouldBeTrue();
        RelocationWatch.IsCheckInMissed(Rules, away, due.AddDays(5)).ShouldBeTrue();
    }

    [Fact]
    public void A_missed_check_in_is_flagged_once_per_deadline()
    {
        var away = In(RelocationState.Arrived);
        var due = away.NextCheckInDueAt!.Value;

        var flagged = Fold(away, [new CheckInMissedFlagged(away.Id, due, due.AddHours(12))]);

        flagged.MissedCheckInFlaggedFor.ShouldBe(due);
        RelocationWatch.IsCheckInMissed(Rules, flagged, due.AddHours(12)).ShouldBeFalse();
        RelocationWatch.IsCheckInMissed(Rules, flagged, due.AddDays(30)).ShouldBeFalse();
    }

    [Fact]
    public void After_a_flagged_deadline_the_next_deadline_is_watched_again()
    {
        var away = In(RelocationState.Arrived);
        var due = away.NextCheckInDueAt!.Value;
        var flagged = Fold(away, [new CheckInMissedFlagged(away.Id, due, due.AddHours(12))]);
        var checkedInAt = due.AddDays(1);

        var checkedIn = Fold(
            flagged, Accepted(RecordCheckIn.Decide(flagged, CheckInStatus.Safe, null, Officer, checkedInAt)));
        var nextDue = checkedInAt.AddDays(7);

        checkedIn.MissedCheckInFlaggedFor.ShouldBeNull();
        checkedIn.NextCheckInDueAt.ShouldBe(nextDue);
        RelocationWatch.IsCheckInMissed(Rules, checkedIn, checkedInAt).ShouldBeFalse();
        RelocationWatch.IsCheckInMissed(Rules, checkedIn, nextDue.AddHours(12).AddSeconds(-1)).ShouldBeFalse();
        RelocationWatch.IsCheckInMissed(Rules, checkedIn, nextDue.AddHours(12)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(RelocationState.Requested)]
    [InlineData(RelocationState.Planned)]
    [InlineData(RelocationState.Funded)]
    [InlineData(RelocationState.Returned)]
    [InlineData(RelocationState.Resettled)]
    [InlineData(RelocationState.Closed)]
    public void A_check_in_is_never_missed_when_the_defender_is_not_away(RelocationState state)
    {
        var relocation = In(state);

        relocation.Away.ShouldBeFalse();
        RelocationWatch.IsCheckInMissed(Rules, relocation, Now.AddYears(1)).ShouldBeFalse();
    }

    [Fact]
    public void A_return_stops_the_check_in_deadline()
    {
        var returned = In(RelocationState.Returned);

        returned.NextCheckInDueAt.ShouldBeNull();
        returned.EndedAt.ShouldBe(Now);
    }

    [Fact]
    public void The_stay_is_ending_from_fourteen_days_before_the_end_of_its_last_day()
    {
        var arrived = In(RelocationState.Arrived);
        var noticeFrom = new DateTimeOffset(2027, 1, 19, 0, 0, 0, TimeSpan.Zero);

        arrived.StayEndsAt.ShouldBe(new DateTimeOffset(2027, 2, 2, 0, 0, 0, TimeSpan.Zero));
        RelocationWatch.IsStayEnding(Rules, arrived, noticeFrom.AddSeconds(-1)).ShouldBeFalse();
        RelocationWatch.IsStayEnding(Rules, arrived, noticeFrom).ShouldBeTrue();
        RelocationWatch.IsStayEnding(Rules, arrived, new DateTimeOffset(2027, 2, 10, 0, 0, 0, TimeSpan.Zero))
            .ShouldBeTrue();
    }

    [Fact]
    public void The_end_of_a_stay_is_flagged_once_per_end_date()
    {
        var arrived = In(RelocationState.Arrived);

        var flaggedAt = new DateTimeOffset(2027, 1, 19, 0, 1, 0, TimeSpan.Zero);
        var flagged = Fold(arrived, [new StayEndingFlagged(arrived.Id, EndOn, flaggedAt)]);

        flagged.StayEndingFlaggedFor.ShouldBe(EndOn);
        RelocationWatch.IsStayEnding(Rules, flagged, new DateTimeOffset(2027, 1, 25, 0, 0, 0, TimeSpan.Zero))
            .ShouldBeFalse();
    }

    [Fact]
    public void After_an_extension_the_new_end_is_flagged_when_it_approaches()
    {
        var arrived = In(RelocationState.Arrived);
        var flaggedAt = new DateTimeOffset(2027, 1, 19, 0, 1, 0, TimeSpan.Zero);
        var flagged = Fold(arrived, [new StayEndingFlagged(arrived.Id, EndOn, flaggedAt)]);
        var newEnd = new DateOnly(2027, 4, 1);

        var extended = Fold(
            flagged, Accepted(Extend(flagged, newEnd, "The host can keep them longer.", flaggedAt.AddDays(2))));
        var noticeFrom = new DateTimeOffset(2027, 3, 19, 0, 0, 0, TimeSpan.Zero);

        extended.StayEndsAt.ShouldBe(new DateTimeOffset(2027, 4, 2, 0, 0, 0, TimeSpan.Zero));
        RelocationWatch.IsStayEnding(Rules, extended, flaggedAt.AddDays(2)).ShouldBeFalse();
        RelocationWatch.IsStayEnding(Rules, extended, noticeFrom.AddSeconds(-1)).ShouldBeFalse();
        RelocationWatch.IsStayEnding(Rules, extended, noticeFrom).ShouldBeTrue();
    }

    [Theory]
    [InlineData(RelocationState.Planned)]
    [InlineData(RelocationState.Funded)]
    [InlineData(RelocationState.Returned)]
    [InlineData(RelocationState.Resettled)]
    [InlineData(RelocationState.Closed)]
    public void The_stay_is_never_ending_when_the_defender_is_not_away(RelocationState state)
    {
        RelocationWatch.IsStayEnding(Rules, In(state), Relocation.EndOf(EndOn)).ShouldBeFalse();
    }

    // Extending

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_extension_needs_a_reason(string? reason)
    {
        var change = Extend(In(RelocationState.Arrived), new DateOnly(2027, 4, 1), reason);

        ShouldBeRefusedOn(change, "reason");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    public void An_extension_must_end_after_the_current_end(int daysAfterCurrentEnd)
    {
        var change = Extend(In(RelocationState.Arrived), EndOn.AddDays(daysAfterCurrentEnd), "More time is needed.");

        ShouldBeRefusedOn(change, "endOn");
    }

    [Fact]
    public void An_extension_beyond_twelve_months_from_the_start_is_refused_on_endOn()
    {
        var change = Extend(In(RelocationState.Arrived), StartOn.AddMonths(12).AddDays(1), "More time is needed.");

        ShouldBeRefusedOn(change, "endOn");
    }

    [Fact]
    public void An_extension_to_exactly_twelve_months_from_the_start_is_accepted()
    {
        var arrived = In(RelocationState.Arrived);
        var longest = new DateOnly(2027, 12, 1);

        var events = Accepted(Extend(arrived, longest, "  The threat persists.  ", Now.AddDays(40)));

        var extension = events.ShouldHaveSingleItem().ShouldBeOfType<StayProlonged>();
        extension.From.ShouldBe(EndOn);
        extension.EndOn.ShouldBe(longest);
        extension.Reason.ShouldBe(new SealedData("sealed"));
        var extended = Fold(arrived, events);
        extended.State.ShouldBe(RelocationState.Arrived);
        extended.Plan.ShouldNotBeNull().EndOn.ShouldBe(longest);
        extended.Plan.StartOn.ShouldBe(StartOn);
        extended.StayEndsAt.ShouldBe(new DateTimeOffset(2027, 12, 2, 0, 0, 0, TimeSpan.Zero));
        extended.Extensions.ShouldHaveSingleItem().From.ShouldBe(EndOn);
    }

    [Fact]
    public void The_twelve_months_count_from_the_start_across_several_extensions()
    {
        var arrived = In(RelocationState.Arrived);
        var once = Fold(arrived, Accepted(Extend(arrived, new DateOnly(2027, 6, 1), "More time is needed.")));

        ShouldBeRefusedOn(Extend(once, new DateOnly(2027, 12, 2), "Still more time."), "endOn");
        ShouldBeRefusedOn(Extend(once, new DateOnly(2027, 6, 1), "Still more time."), "endOn");
        var twice = Fold(once, Accepted(Extend(once, new DateOnly(2027, 12, 1), "Still more time.")));
        twice.Extensions.Select(e => (e.From, e.To)).ShouldBe(
        [
            (EndOn, new DateOnly(2027, 6, 1)),
            (new DateOnly(2027, 6, 1), new DateOnly(2027, 12, 1)),
        ]);
    }

    // Closing

    [Theory]
    [InlineData(RelocationState.Requested, null)]
    [InlineData(RelocationState.Planned, null)]
    [InlineData(RelocationState.Funded, null)]
    [InlineData(RelocationState.Requested, "  ")]
    [InlineData(RelocationState.Funded, "")]
    public void Closing_before_the_defender_moved_needs_a_reason(RelocationState state, string? reason)
    {
        ShouldBeRefusedOn(CloseRelocation.Decide(In(state), reason, SealText, Officer, Now), "reason");
    }

    [Theory]
    [InlineData(RelocationState.Requested)]
    [InlineData(RelocationState.Planned)]
    [InlineData(RelocationState.Funded)]
    public void Closing_before_the_defender_moved_cancels_the_relocation(RelocationState state)
    {
        var relocation = In(state);

        var events = Accepted(CloseRelocation.Decide(relocation, Reason, SealText, Officer, Now.AddDays(1)));

        var closing = events.ShouldHaveSingleItem().ShouldBeOfType<RelocationConcluded>();
        closing.Outcome.ShouldBe(RelocationOutcome.Cancelled);
        closing.Reason.ShouldBe(new SealedData("sealed"));
        var closed = Fold(relocation, events);
        closed.State.ShouldBe(RelocationState.Closed);
        closed.Outcome.ShouldBe(RelocationOutcome.Cancelled);
        closed.ClosedAt.ShouldBe(Now.AddDays(1));
        closed.Active.ShouldBeFalse();
    }

    [Theory]
    [InlineData(RelocationState.Returned, RelocationOutcome.Returned)]
    [InlineData(RelocationState.Resettled, RelocationOutcome.Resettled)]
    public void Closing_after_the_stay_records_how_it_ended_without_needing_a_reason(
        RelocationState state, RelocationOutcome outcome)
    {
        var relocation = In(state);

        var events = Accepted(CloseRelocation.Decide(relocation, null, SealText, Officer, Now.AddDays(60)));

        var closing = events.ShouldHaveSingleItem().ShouldBeOfType<RelocationConcluded>();
        closing.Outcome.ShouldBe(outcome);
        closing.Reason.ShouldBeNull();
        var closed = Fold(relocation, events);
        closed.State.ShouldBe(RelocationState.Closed);
        closed.Outcome.ShouldBe(outcome);
        closed.ClosingReason.ShouldBeNull();
        closed.Active.ShouldBeFalse();
    }

    [Fact]
    public void A_reason_given_when_closing_after_the_stay_is_sealed()
    {
        var closing = Accepted(
                CloseRelocation.Decide(In(RelocationState.Resettled), "Granted asylum", SealText, Officer, Now))
            .ShouldHaveSingleItem().ShouldBeOfType<RelocationConcluded>();

        closing.Outcome.ShouldBe(RelocationOutcome.Resettled);
        closing.Reason.ShouldBe(new SealedData("sealed"));
    }
}
