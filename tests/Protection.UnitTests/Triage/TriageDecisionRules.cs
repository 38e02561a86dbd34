using Microsoft.Extensions.Options;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Cases;
using Protection.Triage.Cases.Assigning;
using Protection.Triage.Cases.Closing;
using Protection.Triage.Cases.Planning;
using Protection.Triage.Risk;

namespace Protection.UnitTests.Triage;

/// <summary>What triage decides from a case and what happened, with the shipped rules table and deadlines.</summary>
public sealed class TriageDecisionRules
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private readonly TriageDecisions _decisions = new(Options.Create(ShippedTriageOptions.Load()));
    private readonly Guid _caseId = Guid.CreateVersion7();

    /// <summary>Stands in for the case's key: the decisions only carry what they are given, sealed.</summary>
    private static SealedData Seal(string text) => new($"sealed:{text}");

    private static ThreatSummary Threat(
        ThreatType type, int daysAgo, PerpetratorCategory perpetrator = PerpetratorCategory.Unknown) =>
        new(Guid.CreateVersion7(), type, perpetrator, Today.AddDays(-daysAgo), "CO");

    private Decided TakingIn(DateTimeOffset openedAt, params ThreatSummary[] threats) =>
        _decisions.TakeIn(
            _caseId, "PC-2026-000001", "CO", "olivia", openedAt, threats, 1, new ConsentScopes(false, false), Now);

    private CaseTakenIn TakeIn(DateTimeOffset openedAt, params ThreatSummary[] threats) =>
        TakingIn(openedAt, threats).Events.ShouldHaveSingleItem().ShouldBeOfType<CaseTakenIn>();

    private TriageCase Opened(params ThreatSummary[] threats) => TakeIn(Now, threats).Start();

    private static TriageCase Fold(TriageCase state, params IEnumerable<object> events) =>
        state.After(events);

    private static TriageCase Fold(TriageCase state, Decided decided) => Fold(state, decided.Events);

    private static TriageCase Fold(TriageCase state, Outcome<Decided> decided) => Fold(state, Events(decided));

    /// <summary>The events of a decision that must not refuse.</summary>
    private static IReadOnlyList<object> Events(Outcome<Decided> decided)
    {
        decided.Refusal.ShouldBeNull();
        return decided.Value.ShouldNotBeNull().Events;
    }

    private static DimensionsScored Scored(Outcome<Decided> assessed) =>
        Events(assessed).ShouldHaveSingleItem().ShouldBeOfType<DimensionsScored>();

    /// <summary>A case taken in with no threats (low) and assessed at high an hour later.</summary>
    private TriageCase AssessedHigh(params ThreatSummary[] threats)
    {
        var opened = Opened(threats);
        var assessed = Fold(
            opened, _decisions.Assess(opened, new DimensionScores(0, 0, 3, 0, 0), null, "olivia", Now.AddHours(1)));
        assessed.Risk.Level.ShouldBe(RiskLevel.High);
        assessed.AwaitingTriage.ShouldBeFalse();
        return assessed;
    }

    // Taking a case in

    [Fact]
    public void A_case_taken_in_with_recent_violence_is_due_4_hours_after_it_was_opened()
    {
        var openedAt = Now.AddMinutes(-30);

        var takenIn = TakeIn(openedAt, Threat(ThreatType.Physical, daysAgo: 2));

        takenIn.Preliminary.Level.ShouldBe(RiskLevel.High);
        takenIn.DueAt.ShouldBe(openedAt.AddHours(4));
    }

    [Fact]
    public void A_case_taken_in_with_repeated_violence_is_due_1_hour_after_it_was_opened()
    {
        var openedAt = Now.AddMinutes(-30);

        var takenIn = TakeIn(
            openedAt, Threat(ThreatType.Physical, daysAgo: 2), Threat(ThreatType.Detention, daysAgo: 20));

        takenIn.Preliminary.Level.ShouldBe(RiskLevel.Critical);
        takenIn.DueAt.ShouldBe(openedAt.AddHours(1));
    }

    [Fact]
    public void A_case_taken_in_with_an_armed_actor_threat_is_due_24_hours_after_it_was_opened()
    {
        var openedAt = Now.AddMinutes(-30);

        var takenIn = TakeIn(openedAt, Threat(ThreatType.Intimidation, daysAgo: 5, PerpetratorCategory.State));

        takenIn.Preliminary.Level.ShouldBe(RiskLevel.Medium);
        takenIn.DueAt.ShouldBe(openedAt.AddHours(24));
    }

    [Fact]
    public void A_case_taken_in_with_no_matching_threat_is_due_72_hours_after_it_was_opened()
    {
        var openedAt = Now.AddMinutes(-30);

        var takenIn = TakeIn(openedAt, Threat(ThreatType.Digital, daysAgo: 1));

        takenIn.Preliminary.Level.ShouldBe(RiskLevel.Low);
        takenIn.DueAt.ShouldBe(openedAt.AddHours(72));
    }

    [Fact]
    public void A_case_taken_in_awaits_triage_at_its_preliminary_level()
    {
        var @case = Opened(Threat(ThreatType.Physical, daysAgo: 2));

        @case.Status.ShouldBe(TriageStatus.Open);
        @case.AwaitingTriage.ShouldBeTrue();
        @case.Risk.Level.ShouldBe(RiskLevel.High);
        @case.Risk.Basis.ShouldBe(RiskBasis.Preliminary);
        @case.TriageDueAt.ShouldBe(Now.AddHours(4));
        @case.NextDueAt.ShouldBe(Now.AddHours(4));
    }

    // A new threat

    [Fact]
    public void A_new_threat_that_makes_the_preliminary_critical_escalates_an_assessed_high_case()
    {
        var @case = AssessedHigh(Threat(ThreatType.Physical, daysAgo: 2));
        var at = Now.AddHours(2);
        var threat = Threat(ThreatType.Detention, daysAgo: 0);

        var events = _decisions.AddThreat(@case, threat, at).Events;

        events.Count.ShouldBe(3);
        var added = events[0].ShouldBeOfType<ThreatAdded>();
        added.Threat.ShouldBe(threat);
        added.Preliminary.Level.ShouldBe(RiskLevel.Critical);
        var escalated = events[1].ShouldBeOfType<RiskEscalated>();
        escalated.From.ShouldBe(RiskLevel.High);
        escalated.To.ShouldBe(RiskLevel.Critical);
        escalated.Result.RuleNames.ShouldContain("repeated-violence");
        var deadline = events[2].ShouldBeOfType<TriageDeadlineSet>();
        deadline.DueAt.ShouldBe(at.AddHours(1));
        deadline.Level.ShouldBe(RiskLevel.Critical);
        deadline.Trigger.ShouldBe(TriageTrigger.NewThreat);

        var after = Fold(@case, events);
        after.Risk.Level.ShouldBe(RiskLevel.Critical);
        after.Risk.Basis.ShouldBe(RiskBasis.Escalation);
        after.Threats.Count.ShouldBe(2);
        after.AwaitingTriage.ShouldBeTrue();
        after.TriageStartedAt.ShouldBe(at);
        after.TriageDueAt.ShouldBe(at.AddHours(1));
    }

    [Fact]
    public void A_new_threat_with_a_lower_preliminary_never_lowers_the_level()
    {
        var @case = AssessedHigh();
        var at = Now.AddHours(2);

        var intimidation = Threat(ThreatType.Intimidation, daysAgo: 1, PerpetratorCategory.State);
        var events = _decisions.AddThreat(@case, intimidation, at).Events;

        events.ShouldNotContain(e => e is RiskEscalated);
        events[0].ShouldBeOfType<ThreatAdded>().Preliminary.Level.ShouldBe(RiskLevel.Medium);
        var deadline = events.OfType<TriageDeadlineSet>().ShouldHaveSingleItem();
        deadline.Level.ShouldBe(RiskLevel.High);
        deadline.DueAt.ShouldBe(at.AddHours(4));

        var after = Fold(@case, events);
        after.Risk.Level.ShouldBe(RiskLevel.High);
        after.Risk.Basis.ShouldBe(RiskBasis.Assessment);
        after.RiskHistory.Select(c => c.Level).ShouldBe([RiskLevel.Low, RiskLevel.High]);
    }

    [Fact]
    public void A_new_threat_on_a_case_awaiting_triage_only_brings_its_deadline_forward()
    {
        var @case = Opened(Threat(ThreatType.Intimidation, daysAgo: 1, PerpetratorCategory.State));
        @case.TriageDueAt.ShouldBe(Now.AddHours(24));

        var sooner = _decisions.AddThreat(@case, Threat(ThreatType.Physical, daysAgo: 0), Now.AddHours(1)).Events;
        var armed = Threat(ThreatType.Intimidation, daysAgo: 0, PerpetratorCategory.NonStateArmedGroup);
        var later = _decisions.AddThreat(@case, armed, Now.AddHours(1)).Events;

        sooner.OfType<TriageDeadlineSet>().ShouldHaveSingleItem().DueAt.ShouldBe(Now.AddHours(5));
        later.ShouldHaveSingleItem().ShouldBeOfType<ThreatAdded>();
        Fold(@case, later).TriageDueAt.ShouldBe(Now.AddHours(24));
    }

    [Fact]
    public void A_threat_already_known_yields_no_events()
    {
        var @case = Opened(Threat(ThreatType.Intimidation, daysAgo: 3));
        var known = @case.Threats[0] with { Type = ThreatType.Physical, OccurredOn = Today };

        _decisions.AddThreat(@case, known, Now.AddHours(1)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void A_new_threat_on_a_closed_case_is_only_recorded()
    {
        var opened = Opened(Threat(ThreatType.Physical, daysAgo: 2));
        var closed = Fold(opened, Closed(Now.AddHours(1)));

        var events = _decisions.AddThreat(closed, Threat(ThreatType.Detention, daysAgo: 0), Now.AddHours(2)).Events;

        var added = events.ShouldHaveSingleItem().ShouldBeOfType<ThreatAdded>();
        added.Preliminary.Level.ShouldBe(RiskLevel.Critical);
        var after = Fold(closed, events);
        after.Status.ShouldBe(TriageStatus.Closed);
        after.Risk.Level.ShouldBe(RiskLevel.High);
        after.AwaitingTriage.ShouldBeFalse();
        after.Threats.Count.ShouldBe(2);
    }

    // Assessment and supervisor overrides

    [Fact]
    public void An_assessment_below_an_active_override_keeps_the_override_level()
    {
        var opened = Opened();
        var overridden = Fold(opened, _decisions.Override(
            opened, RiskLevel.Critical, Seal("Credible report of a planned attack."), "sam", Now.AddMinutes(10)));

        var assessed = Scored(
            _decisions.Assess(overridden, new DimensionScores(0, 0, 3, 0, 0), null, "olivia", Now.AddHours(1)));

        assessed.Computed.Level.ShouldBe(RiskLevel.High);
        assessed.Level.ShouldBe(RiskLevel.Critical);
        assessed.PreviousLevel.ShouldBe(RiskLevel.Critical);

        var after = Fold(overridden, assessed);
        after.Risk.Level.ShouldBe(RiskLevel.Critical);
        after.Override.ShouldNotBeNull().Level.ShouldBe(RiskLevel.Critical);
        after.Risk.Reasons[0].Rule.ShouldBe("supervisor-override");
        after.Risk.Reasons[0].Decisive.ShouldBeTrue();
        after.Risk.Reasons.Skip(1).ShouldAllBe(r => !r.Decisive);
        after.AwaitingTriage.ShouldBeFalse();
    }

    [Fact]
    public void An_assessment_above_an_override_takes_the_computed_level_and_clears_the_override()
    {
        var opened = Opened();
        var overridden = Fold(opened, _decisions.Override(
            opened, RiskLevel.Medium, Seal("Known to local police."), "sam", Now.AddMinutes(10)));

        var assessed = Scored(
            _decisions.Assess(overridden, new DimensionScores(0, 3, 0, 0, 0), null, "olivia", Now.AddHours(1)));

        assessed.Computed.Level.ShouldBe(RiskLevel.Critical);
        assessed.Level.ShouldBe(RiskLevel.Critical);
        assessed.PreviousLevel.ShouldBe(RiskLevel.Medium);

        var after = Fold(overridden, assessed);
        after.Risk.Level.ShouldBe(RiskLevel.Critical);
        after.Risk.Basis.ShouldBe(RiskBasis.Assessment);
        after.Override.ShouldBeNull();
        after.Risk.Reasons.Select(r => r.Rule).ShouldNotContain("supervisor-override");
    }

    [Fact]
    public void An_override_while_awaiting_triage_moves_the_deadline_from_when_triage_started()
    {
        var @case = Opened();
        @case.TriageDueAt.ShouldBe(Now.AddHours(72));
        var at = Now.AddHours(1);

        var events = Events(
            _decisions.Override(@case, RiskLevel.High, Seal("Credible report of surveillance."), "sam", at));

        events.Count.ShouldBe(2);
        var overridden = events[0].ShouldBeOfType<RiskOverridden>();
        overridden.From.ShouldBe(RiskLevel.Low);
        overridden.To.ShouldBe(RiskLevel.High);
        var deadline = events[1].ShouldBeOfType<TriageDeadlineSet>();
        deadline.DueAt.ShouldBe(Now.AddHours(4));
        deadline.Level.ShouldBe(RiskLevel.High);
        deadline.Trigger.ShouldBe(TriageTrigger.RiskChanged);

        var after = Fold(@case, events);
        after.Risk.Level.ShouldBe(RiskLevel.High);
        after.Risk.Basis.ShouldBe(RiskBasis.Override);
        after.TriageStartedAt.ShouldBe(Now);
        after.TriageDueAt.ShouldBe(Now.AddHours(4));
    }

    [Fact]
    public void An_override_of_an_assessed_case_sets_no_deadline()
    {
        var @case = AssessedHigh();

        var events = Events(
            _decisions.Override(@case, RiskLevel.Critical, Seal("Detained relative."), "sam", Now.AddHours(2)));

        events.ShouldHaveSingleItem().ShouldBeOfType<RiskOverridden>().From.ShouldBe(RiskLevel.High);
        Fold(@case, events).AwaitingTriage.ShouldBeFalse();
    }

    // Overdue

    [Fact]
    public void A_case_is_newly_overdue_once_its_deadline_is_reached()
    {
        var @case = Opened();
        var due = @case.TriageDueAt.ShouldNotBeNull();

        TriageDecisions.IsNewlyOverdue(@case, due.AddTicks(-1)).ShouldBeFalse();
        TriageDecisions.IsNewlyOverdue(@case, due).ShouldBeTrue();
        TriageDecisions.IsNewlyOverdue(@case, due.AddHours(5)).ShouldBeTrue();
    }

    [Fact]
    public void A_flagged_case_is_not_newly_overdue_until_a_new_deadline_passes()
    {
        var @case = Opened();
        var due = @case.TriageDueAt.ShouldNotBeNull();
        var flagged = Fold(@case, new TriageOverdueFlagged(_caseId, due, due.AddSeconds(15)));

        TriageDecisions.IsNewlyOverdue(flagged, due.AddHours(1)).ShouldBeFalse();

        // A supervisor raises the level; the deadline counts from when triage started, so it has passed already.
        var events = Events(_decisions.Override(
            flagged, RiskLevel.High, Seal("Credible report of surveillance."), "sam", due.AddHours(1)));
        var requeued = Fold(flagged, events);
        var newDue = requeued.TriageDueAt.ShouldNotBeNull();
        newDue.ShouldBe(Now.AddHours(4));
        requeued.OverdueFlagged.ShouldBeFalse();

        TriageDecisions.IsNewlyOverdue(requeued, newDue.AddTicks(-1)).ShouldBeFalse();
        TriageDecisions.IsNewlyOverdue(requeued, newDue).ShouldBeTrue();
        TriageDecisions.IsNewlyOverdue(requeued, due.AddHours(1)).ShouldBeTrue();
    }

    [Fact]
    public void An_assessed_case_is_never_overdue()
    {
        var @case = AssessedHigh();

        TriageDecisions.IsNewlyOverdue(@case, Now.AddDays(30)).ShouldBeFalse();
    }

    [Fact]
    public void A_closed_case_is_never_overdue()
    {
        var opened = Opened();
        var closed = Fold(
            opened, new CaseClosedWithOutcome(_caseId, CaseOutcome.OpenedInError, null, "sam", Now.AddHours(1)));

        TriageDecisions.IsNewlyOverdue(opened, Now.AddDays(30)).ShouldBeTrue();
        TriageDecisions.IsNewlyOverdue(closed, Now.AddDays(30)).ShouldBeFalse();
    }

    // Relocation alerts (defaults: a missed check-in makes a case at least high, an emergency at least critical)

    private readonly Guid _relocationId = Guid.CreateVersion7();

    [Fact]
    public void A_missed_check_in_raises_a_low_assessed_case_to_high_and_puts_it_back_in_the_queue_for_4_hours()
    {
        var opened = Opened();
        var assessed = Fold(opened, _decisions.Assess(opened, new DimensionScores(0, 0, 0, 0, 0), null, "olivia", Now));
        assessed.Risk.Level.ShouldBe(RiskLevel.Low);
        var due = Now.AddDays(7);

        var events = _decisions.RaiseRelocationAlert(
            assessed, _relocationId, RelocationAlert.CheckInMissed, due, Now.AddDays(8)).Events;

        var alert = events.OfType<RelocationAlertRaised>().ShouldHaveSingleItem();
        (alert.From, alert.To).ShouldBe((RiskLevel.Low, RiskLevel.High));
        alert.Reason.Rule.ShouldBe(TriageDecisions.MissedCheckInRule);
        var after = Fold(assessed, events);
        after.Risk.Level.ShouldBe(RiskLevel.High);
        after.Risk.Basis.ShouldBe(RiskBasis.Escalation);
        after.Risk.Reasons[0].Rule.ShouldBe(TriageDecisions.MissedCheckInRule);
        after.Risk.Reasons.Skip(1).ShouldAllBe(r => !r.Decisive);
        after.RiskHistory[^1].Level.ShouldBe(RiskLevel.High);
        after.AwaitingTriage.ShouldBeTrue();
        after.TriageDueAt.ShouldBe(Now.AddDays(8).AddHours(4));
        after.RelocationAlerts.ShouldHaveSingleItem().CheckInDueAt.ShouldBe(due);
    }

    [Fact]
    public void An_emergency_check_in_raises_a_high_case_to_critical_due_in_one_hour()
    {
        var assessed = AssessedHigh();

        var after = Fold(assessed, _decisions.RaiseRelocationAlert(
            assessed, _relocationId, RelocationAlert.EmergencyCheckIn, null, Now.AddDays(2)));

        after.Risk.Level.ShouldBe(RiskLevel.Critical);
        after.Risk.Reasons[0].Rule.ShouldBe(TriageDecisions.EmergencyCheckInRule);
        after.TriageDueAt.ShouldBe(Now.AddDays(2).AddHours(1));
    }

    [Fact]
    public void An_alert_on_a_case_already_above_the_floor_keeps_its_level_and_reasons_but_still_brings_it_back()
    {
        var critical = Opened(Threat(ThreatType.Physical, daysAgo: 2), Threat(ThreatType.Physical, daysAgo: 10));
        var assessed = Fold(
            critical, _decisions.Assess(critical, new DimensionScores(0, 3, 0, 0, 0), null, "olivia", Now));
        assessed.Risk.Level.ShouldBe(RiskLevel.Critical);

        var events = _decisions.RaiseRelocationAlert(
            assessed, _relocationId, RelocationAlert.CheckInMissed, Now.AddDays(7), Now.AddDays(8)).Events;

        var alert = events.OfType<RelocationAlertRaised>().ShouldHaveSingleItem();
        (alert.From, alert.To).ShouldBe((RiskLevel.Critical, RiskLevel.Critical));
        alert.Reason.Decisive.ShouldBeFalse();
        var after = Fold(assessed, events);
        after.Risk.ShouldBe(assessed.Risk);
        after.RiskHistory.Count.ShouldBe(assessed.RiskHistory.Count);
        after.AwaitingTriage.ShouldBeTrue();
        after.TriageDueAt.ShouldBe(Now.AddDays(8).AddHours(1));
    }

    [Fact]
    public void The_same_missed_deadline_reported_twice_changes_nothing_the_second_time_but_the_next_deadline_does()
    {
        var assessed = AssessedHigh();
        var first = Fold(assessed, _decisions.RaiseRelocationAlert(
            assessed, _relocationId, RelocationAlert.CheckInMissed, Now.AddDays(7), Now.AddDays(8)));

        _decisions.RaiseRelocationAlert(
            first, _relocationId, RelocationAlert.CheckInMissed, Now.AddDays(7), Now.AddDays(8)).Events.ShouldBeEmpty();
        _decisions.RaiseRelocationAlert(
            first, _relocationId, RelocationAlert.CheckInMissed, Now.AddDays(14), Now.AddDays(15)).Events
            .ShouldNotBeEmpty();
    }

    [Fact]
    public void An_alert_on_a_closed_case_reopens_it()
    {
        var assessed = AssessedHigh();
        var closed = Fold(assessed, Closed(Now.AddHours(2)));

        var events = _decisions.RaiseRelocationAlert(
            closed, _relocationId, RelocationAlert.EmergencyCheckIn, null, Now.AddDays(1)).Events;

        events[0].ShouldBeOfType<CaseReopenedForTriage>().By.ShouldBe("system");
        var after = Fold(closed, events);
        after.Status.ShouldBe(TriageStatus.Open);
        after.Risk.Level.ShouldBe(RiskLevel.Critical);
        after.AwaitingTriage.ShouldBeTrue();
        after.TriageDueAt.ShouldBe(Now.AddDays(1).AddHours(1));
    }

    // Recommending a relocation (an officer decides; triage recommends once, when a case becomes critical)

    [Fact]
    public void A_case_taken_in_critical_is_recommended_for_relocation_with_its_decisive_rules()
    {
        var decided = TakingIn(Now, Threat(ThreatType.Physical, daysAgo: 2), Threat(ThreatType.Detention, daysAgo: 20));
        var opened = decided.Events.OfType<CaseTakenIn>().Single().Start();

        opened.Risk.Level.ShouldBe(RiskLevel.Critical);
        TriageDecisions.RecommendsRelocation(null, opened).ShouldBeTrue();
        var recommendation = decided.Recommends.ShouldNotBeNull();
        recommendation.Level.ShouldBe(RiskLevel.Critical);
        recommendation.DecisiveRules.ShouldBe(opened.Risk.Reasons.Where(r => r.Decisive).Select(r => r.Rule));
        recommendation.DecisiveRules.ShouldNotBeEmpty();
    }

    [Fact]
    public void A_case_taken_in_below_critical_is_not_recommended()
    {
        TakingIn(Now, Threat(ThreatType.Physical, daysAgo: 2)).Recommends.ShouldBeNull();
    }

    [Fact]
    public void A_case_a_new_threat_makes_critical_is_recommended_for_relocation()
    {
        var high = Opened(Threat(ThreatType.Physical, daysAgo: 2));
        var detention = Threat(ThreatType.Detention, daysAgo: 0);

        var decided = _decisions.AddThreat(high, detention, Now.AddHours(1));
        var critical = Fold(high, decided);

        high.Risk.Level.ShouldBe(RiskLevel.High);
        critical.Risk.Level.ShouldBe(RiskLevel.Critical);
        TriageDecisions.RecommendsRelocation(high, critical).ShouldBeTrue();
        decided.Recommends.ShouldNotBeNull().Level.ShouldBe(RiskLevel.Critical);
    }

    [Fact]
    public void A_case_that_was_critical_already_is_not_recommended_again()
    {
        var critical = Opened(Threat(ThreatType.Physical, daysAgo: 2), Threat(ThreatType.Detention, daysAgo: 20));
        var intimidation = Threat(ThreatType.Intimidation, daysAgo: 0);

        var decided = _decisions.AddThreat(critical, intimidation, Now.AddHours(1));
        var still = Fold(critical, decided);

        still.Risk.Level.ShouldBe(RiskLevel.Critical);
        TriageDecisions.RecommendsRelocation(critical, still).ShouldBeFalse();
        decided.Recommends.ShouldBeNull();
    }

    [Fact]
    public void A_case_that_becomes_high_is_not_recommended_for_relocation()
    {
        var opened = Opened();
        var decided = _decisions.Assess(opened, new DimensionScores(0, 0, 3, 0, 0), null, "olivia", Now.AddHours(1));

        var high = Fold(opened, decided);

        opened.Risk.Level.ShouldBe(RiskLevel.Low);
        high.Risk.Level.ShouldBe(RiskLevel.High);
        TriageDecisions.RecommendsRelocation(opened, high).ShouldBeFalse();
        decided.Value.ShouldNotBeNull().Recommends.ShouldBeNull();
    }

    [Fact]
    public void An_assessment_or_an_override_that_makes_a_case_critical_recommends_a_relocation()
    {
        var opened = Opened();

        var assessed = _decisions.Assess(opened, new DimensionScores(0, 3, 0, 0, 0), null, "olivia", Now.AddHours(1));
        var overridden = _decisions.Override(opened, RiskLevel.Critical, Seal("Detained relative."), "sam", Now);

        assessed.Value.ShouldNotBeNull().Recommends.ShouldNotBeNull().DecisiveRules.ShouldNotBeEmpty();
        overridden.Value.ShouldNotBeNull().Recommends.ShouldNotBeNull()
            .DecisiveRules.ShouldBe([TriageCase.OverrideRule]);
    }

    [Fact]
    public void An_emergency_check_in_that_makes_a_case_critical_recommends_a_relocation()
    {
        var assessed = AssessedHigh();

        var decided = _decisions.RaiseRelocationAlert(
            assessed, _relocationId, RelocationAlert.EmergencyCheckIn, null, Now.AddDays(2));

        decided.Recommends.ShouldNotBeNull().DecisiveRules.ShouldBe([TriageDecisions.EmergencyCheckInRule]);
    }

    [Fact]
    public void A_critical_case_reopened_is_recommended_again_and_a_closed_one_is_not()
    {
        var critical = Opened(Threat(ThreatType.Physical, daysAgo: 2), Threat(ThreatType.Detention, daysAgo: 20));
        var closed = Fold(critical, Closed(Now.AddHours(1)));

        var decided = _decisions.Reopen(closed, Seal("New threats reported."), "sam", Now.AddDays(1));
        var reopened = Fold(closed, decided);

        TriageDecisions.RecommendsRelocation(critical, closed).ShouldBeFalse();
        reopened.Risk.Level.ShouldBe(RiskLevel.Critical);
        TriageDecisions.RecommendsRelocation(closed, reopened).ShouldBeTrue();
        decided.Value.ShouldNotBeNull().Recommends.ShouldNotBeNull();
    }

    // What other services hear

    private static readonly EventMetadata Metadata = new(Guid.CreateVersion7(), Now, "olivia", "officer", "c-1", "c-1");

    [Fact]
    public void Taking_a_case_in_publishes_the_start_of_triage_and_the_preliminary_risk_each_under_its_own_id()
    {
        var takenIn = TakeIn(Now, Threat(ThreatType.Physical, daysAgo: 2));

        var published = takenIn.Published(takenIn.Start(), 1, Metadata).ToArray();

        published.Length.ShouldBe(2);
        published[0].ShouldBeOfType<TriageStarted>().DueAt.ShouldBe(takenIn.DueAt);
        published[1].ShouldBeOfType<RiskAssessed>().Basis.ShouldBe(RiskBasis.Preliminary);
        published.Select(m => m.Metadata.EventId).Distinct().Count().ShouldBe(2);
        published.ShouldAllBe(m => m.Metadata.CorrelationId == "c-1");
    }

    [Fact]
    public void A_reopening_is_announced_with_its_new_deadline_and_the_deadline_it_sets_publishes_nothing_more()
    {
        var closed = Fold(AssessedHigh(), Closed(Now.AddHours(2)));
        var events = Events(_decisions.Reopen(closed, Seal("Threatened again."), "olivia", Now.AddDays(1)));
        var after = Fold(closed, events);

        var published = events.OfType<IPublishedAs<TriageCase>>().SelectMany(e => e.Published(after, 9, Metadata));

        var reopened = published.ShouldHaveSingleItem().ShouldBeOfType<CaseReopened>();
        (reopened.Risk, reopened.DueAt, reopened.TriageVersion)
            .ShouldBe((RiskLevel.High, Now.AddDays(1).AddHours(4), 9L));
    }

    // Refusals: what the state of the case does not allow

    private const string ClosedTitle = "The case is closed. Re-open it first (POST /api/cases/{id}/reopen).";

    private CaseClosedWithOutcome Closed(DateTimeOffset at) => new(_caseId, CaseOutcome.RiskReduced, null, "sam", at);

    private static void ShouldRefuse(Outcome<Decided> decided, RefusalKind kind, string title)
    {
        var refusal = decided.Refusal.ShouldNotBeNull();
        (refusal.Kind, refusal.Title).ShouldBe((kind, title));
    }

    [Fact]
    public void A_closed_case_is_neither_assessed_nor_overridden_nor_assigned_nor_planned()
    {
        var closed = Fold(AssessedHigh(), Closed(Now.AddHours(2)));
        var measure = new AddMeasureRequest
        {
            Area = FrameworkArea.ThreatsOnTheGround, Type = "safe-house", Owner = "olivia", DueOn = Today.AddDays(3),
        };

        ShouldRefuse(
            _decisions.Assess(closed, new DimensionScores(0, 0, 0, 0, 0), null, "olivia", Now),
            RefusalKind.Conflict,
            ClosedTitle);
        ShouldRefuse(
            _decisions.Override(closed, RiskLevel.Critical, Seal("Detained relative."), "sam", Now),
            RefusalKind.Conflict,
            ClosedTitle);
        ShouldRefuse(AssignCase.Decide(closed, "omar", "sam", Now), RefusalKind.Conflict, ClosedTitle);
        ShouldRefuse(AddMeasure.Decide(closed, measure, "olivia", Now), RefusalKind.Conflict, ClosedTitle);
        ShouldRefuse(
            ChangeMeasure.Decide(closed, Guid.CreateVersion7(), () => throw new InvalidOperationException("not made")),
            RefusalKind.Conflict,
            ClosedTitle);
    }

    [Fact]
    public void Only_a_closed_case_is_reopened_and_only_an_open_one_closed()
    {
        var open = AssessedHigh();
        var closed = Fold(open, Closed(Now.AddHours(2)));

        ShouldRefuse(
            _decisions.Reopen(open, Seal("Still open."), "olivia", Now),
            RefusalKind.Conflict,
            "The case is open; only a closed case can be re-opened.");
        ShouldRefuse(
            CloseCase.Decide(closed, CaseOutcome.RiskReduced, null, "olivia", Now),
            RefusalKind.Conflict,
            "The case is already closed.");
        Events(CloseCase.Decide(open, CaseOutcome.RiskReduced, null, "olivia", Now))
            .ShouldHaveSingleItem().ShouldBeOfType<CaseClosedWithOutcome>();
    }

    [Fact]
    public void A_case_is_not_assigned_again_to_the_same_officer()
    {
        var assessed = AssessedHigh();
        var assigned = Fold(assessed, AssignCase.Decide(assessed, "omar", "sam", Now));

        assigned.AssignedTo.ShouldBe("omar");
        ShouldRefuse(
            AssignCase.Decide(assigned, "omar", "sam", Now),
            RefusalKind.Conflict,
            "The case is already assigned to omar.");
        Events(AssignCase.Decide(assigned, "olivia", "sam", Now)).ShouldHaveSingleItem()
            .ShouldBeOfType<OfficerAssigned>().Previous.ShouldBe("omar");
    }

    [Fact]
    public void Only_an_open_measure_of_the_plan_is_completed_or_cancelled()
    {
        var planned = Fold(AssessedHigh(), new MeasureAdded(
            _caseId, Guid.CreateVersion7(), FrameworkArea.ThreatsOnTheGround, "safe-house", "olivia", Today, "olivia",
            Now));
        var measureId = planned.Measures.ShouldHaveSingleItem().Id;
        var completed = Fold(planned, new MeasureCompleted(_caseId, measureId, "olivia", Now));
        object Cancel() => new MeasureCancelled(_caseId, measureId, Seal("Moved."), "olivia", Now);

        ShouldRefuse(
            ChangeMeasure.Decide(planned, Guid.CreateVersion7(), Cancel),
            RefusalKind.NotFound,
            "The measure was not found.");
        ShouldRefuse(
            ChangeMeasure.Decide(completed, measureId, Cancel),
            RefusalKind.Conflict,
            "The measure is already completed.");
        Events(ChangeMeasure.Decide(planned, measureId, Cancel)).ShouldHaveSingleItem()
            .ShouldBeOfType<MeasureCancelled>();
    }

    // The plan and the queue's order

    [Fact]
    public void Measures_order_an_assessed_case_by_its_earliest_open_measure_and_a_completed_one_gives_way_to_the_next()
    {
        var assessed = AssessedHigh();
        MeasureAdded Measure(int inDays) =>
            new(_caseId, Guid.CreateVersion7(), FrameworkArea.ThreatsOnTheGround, "check-in-call", "olivia",
                Today.AddDays(inDays), "olivia", Now.AddHours(2));
        var (inTen, inThree, inSeven) = (Measure(10), Measure(3), Measure(7));

        var planned = Fold(assessed, inTen, inThree, inSeven);
        planned.Measures.Count.ShouldBe(3);
        planned.NextDueAt.ShouldBe(TriageCase.EndOf(Today.AddDays(3)));

        var afterCompletion = Fold(
            planned, new MeasureCompleted(_caseId, inThree.MeasureId, "olivia", Now.AddHours(3)));
        afterCompletion.NextDueAt.ShouldBe(TriageCase.EndOf(Today.AddDays(7)));
        afterCompletion.FindMeasure(inThree.MeasureId)!.Status.ShouldBe(MeasureStatus.Completed);

        var laterMeasure = Fold(afterCompletion, Measure(20));
        laterMeasure.NextDueAt.ShouldBe(TriageCase.EndOf(Today.AddDays(7)));
        Fold(laterMeasure, Measure(1)).NextDueAt.ShouldBe(TriageCase.EndOf(Today.AddDays(1)));
    }

    [Fact]
    public void A_measure_added_while_a_case_awaits_triage_leaves_the_triage_deadline_in_front()
    {
        var opened = Opened(Threat(ThreatType.Physical, daysAgo: 2));
        var planned = Fold(opened, new MeasureAdded(
            _caseId, Guid.CreateVersion7(), FrameworkArea.ThreatsOnTheGround, "check-in-call", "olivia", Today,
            "olivia", Now));

        planned.NextDueAt.ShouldBe(Now.AddHours(4));
        planned.Measures.ShouldHaveSingleItem().Status.ShouldBe(MeasureStatus.Open);
    }
}
