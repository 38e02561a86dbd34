using Protection.Contracts.Triage;
using Protection.Intake.Cases;

namespace Protection.UnitTests.Intake;

/// <summary>
/// What intake learns from the other services arrives on separate queues in no guaranteed order:
/// the values it shows are the same whatever that order, an older fact never overwrites a newer one.
/// </summary>
public sealed class LearnedFactsOrdering
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Now.AddDays(3);

    /// <summary>The facts noted in the order given, a minute apart.</summary>
    private static Learned Noted(params LearnedFact[] facts) => Progress(facts).Now;

    private static CaseProgress Progress(params LearnedFact[] facts) => facts
        .Select((f, i) => f with { NotedAt = Now.AddMinutes(i) })
        .Aggregate(CaseProgress.Of(Guid.NewGuid()), (progress, fact) => progress.Learn(fact));

    [Fact]
    public void A_case_nothing_was_learned_of_is_open_at_intake_unassigned_and_unrated() =>
        Noted().ShouldBe(new Learned(CaseStatus.Open, CaseStage.Intake, null, null, null, 0, 0));

    [Fact]
    public void An_older_risk_arriving_after_a_newer_one_changes_nothing()
    {
        var learned = Noted(
            LearnedFact.RiskAssessed(RiskLevel.High, RiskBasis.Assessment, version: 3, Now),
            LearnedFact.TriageStarted(RiskLevel.Medium, Deadline, version: 1, Now),
            LearnedFact.RiskAssessed(RiskLevel.Low, RiskBasis.Preliminary, version: 2, Now));

        learned.Risk.ShouldBe(RiskLevel.High);
    }

    [Fact]
    public void An_older_assignment_arriving_after_a_newer_one_changes_nothing() =>
        Noted(LearnedFact.Assigned("olivia", version: 4, Now), LearnedFact.Assigned("oscar", version: 2, Now))
            .AssignedTo.ShouldBe("olivia");

    [Fact]
    public void An_older_closure_arriving_after_a_reopening_leaves_the_case_open() =>
        Noted(LearnedFact.Reopened(Deadline, version: 6, Now), LearnedFact.Closed(version: 5, Now))
            .Status.ShouldBe(CaseStatus.Open);

    [Fact]
    public void An_older_reopening_arriving_after_a_closure_leaves_the_case_closed() =>
        Noted(LearnedFact.Closed(version: 7, Now), LearnedFact.Reopened(Deadline, version: 6, Now))
            .Status.ShouldBe(CaseStatus.Closed);

    [Fact]
    public void An_older_deadline_arriving_after_the_assessment_that_ended_the_wait_changes_nothing() =>
        Noted(
                LearnedFact.RiskAssessed(RiskLevel.High, RiskBasis.Assessment, version: 2, Now),
                LearnedFact.TriageStarted(RiskLevel.Medium, Deadline, version: 1, Now))
            .TriageDueAt.ShouldBeNull();

    [Fact]
    public void An_older_closure_arriving_after_a_reopening_keeps_the_reopenings_deadline() =>
        Noted(LearnedFact.Reopened(Deadline, version: 6, Now), LearnedFact.Closed(version: 5, Now))
            .TriageDueAt.ShouldBe(Deadline);

    [Fact]
    public void A_risk_that_was_not_assessed_changes_the_level_but_not_the_wait() =>
        Noted(
                LearnedFact.TriageStarted(RiskLevel.Medium, Deadline, version: 1, Now),
                LearnedFact.RiskAssessed(RiskLevel.Critical, RiskBasis.Escalation, version: 2, Now))
            .ShouldSatisfyAllConditions(
                l => l.Risk.ShouldBe(RiskLevel.Critical),
                l => l.TriageDueAt.ShouldBe(Deadline));

    [Fact]
    public void Every_arrival_order_of_triages_facts_gives_the_same_values()
    {
        LearnedFact[] facts =
        [
            LearnedFact.TriageStarted(RiskLevel.Medium, Deadline, version: 1, Now),
            LearnedFact.RiskAssessed(RiskLevel.High, RiskBasis.Assessment, version: 2, Now),
            LearnedFact.Assigned("olivia", version: 3, Now),
            LearnedFact.Closed(version: 4, Now),
            LearnedFact.Reopened(Deadline.AddDays(1), version: 5, Now),
        ];
        var expected = new Learned(
            CaseStatus.Open, CaseStage.Triage, RiskLevel.High, "olivia", Deadline.AddDays(1), 0, 0);

        foreach (var order in Permutations(facts))
        {
            Noted(order).ShouldBe(expected, string.Join(", ", order.Select(f => f.Kind)));
        }
    }

    [Fact]
    public void The_same_fact_twice_changes_nothing()
    {
        var assigned = LearnedFact.Assigned("olivia", version: 3, Now);
        var grant = LearnedFact.About(LearnedKind.GrantOpened, Guid.NewGuid(), Now);
        var once = Progress(assigned, grant);

        var twice = once.Learn(assigned with { NotedAt = Now.AddHours(1) }).Learn(grant);

        twice.Now.ShouldBe(once.Now);
        twice.Facts.ShouldBe(once.Facts);
    }

    [Fact]
    public void A_grant_that_ended_before_intake_heard_it_open_leaves_the_case_in_triage()
    {
        var grant = Guid.NewGuid();

        var learned = Noted(
            LearnedFact.TriageStarted(RiskLevel.Medium, Deadline, version: 1, Now),
            LearnedFact.About(LearnedKind.GrantEnded, grant, Now),
            LearnedFact.About(LearnedKind.GrantOpened, grant, Now));

        learned.Stage.ShouldBe(CaseStage.Triage);
        learned.OpenGrants.ShouldBe(0);
    }

    [Fact]
    public void A_relocation_closed_before_intake_heard_it_open_leaves_the_case_where_its_grant_is()
    {
        var relocation = Guid.NewGuid();

        var learned = Noted(
            LearnedFact.About(LearnedKind.RelocationClosed, relocation, Now),
            LearnedFact.About(LearnedKind.GrantOpened, Guid.NewGuid(), Now),
            LearnedFact.About(LearnedKind.RelocationOpened, relocation, Now));

        learned.Stage.ShouldBe(CaseStage.EmergencyAssistance);
        learned.OpenRelocations.ShouldBe(0);
    }

    [Theory]
    [InlineData(true, true, true, CaseStage.Relocation)]
    [InlineData(true, true, false, CaseStage.EmergencyAssistance)]
    [InlineData(true, false, false, CaseStage.Triage)]
    [InlineData(false, true, false, CaseStage.EmergencyAssistance)]
    [InlineData(false, false, true, CaseStage.Relocation)]
    [InlineData(false, false, false, CaseStage.Intake)]
    public void The_stage_is_the_furthest_active_one(bool triage, bool grantOpen, bool relocationOpen, CaseStage stage)
    {
        var facts = new List<LearnedFact>();
        if (triage)
        {
            facts.Add(LearnedFact.TriageStarted(RiskLevel.Low, Deadline, version: 1, Now));
        }

        // Ended ones never count: only what is open now puts a case in a stage.
        facts.Add(LearnedFact.About(LearnedKind.GrantOpened, Ended(facts, LearnedKind.GrantEnded), Now));
        facts.Add(LearnedFact.About(LearnedKind.RelocationOpened, Ended(facts, LearnedKind.RelocationClosed), Now));
        if (grantOpen)
        {
            facts.Add(LearnedFact.About(LearnedKind.GrantOpened, Guid.NewGuid(), Now));
        }

        if (relocationOpen)
        {
            facts.Add(LearnedFact.About(LearnedKind.RelocationOpened, Guid.NewGuid(), Now));
        }

        Noted([.. facts]).Stage.ShouldBe(stage);
    }

    [Fact]
    public void As_of_a_moment_only_the_facts_noted_by_then_count()
    {
        var grant = Guid.NewGuid();
        var progress = Progress(
            LearnedFact.TriageStarted(RiskLevel.Medium, Deadline, version: 1, Now),
            LearnedFact.RiskAssessed(RiskLevel.High, RiskBasis.Assessment, version: 2, Now),
            LearnedFact.About(LearnedKind.GrantOpened, grant, Now),
            LearnedFact.Closed(version: 3, Now));

        progress.AsOf(Now.AddSeconds(-1)).ShouldBe(Noted());
        progress.AsOf(Now.AddMinutes(0.5)).ShouldBe(
            new Learned(CaseStatus.Open, CaseStage.Triage, RiskLevel.Medium, null, Deadline, 0, 0));
        progress.AsOf(Now.AddMinutes(2)).ShouldBe(
            new Learned(CaseStatus.Open, CaseStage.EmergencyAssistance, RiskLevel.High, null, null, 1, 0));
        progress.AsOf(Now.AddMinutes(3)).ShouldBe(progress.Now);
        progress.AsOf(null).Status.ShouldBe(CaseStatus.Closed);
    }

    [Fact]
    public void The_facts_an_older_stream_noted_read_as_the_same_facts()
    {
        var caseId = Guid.NewGuid();
        var grant = Guid.NewGuid();
        INotedEarlier[] noted =
        [
            new TriageStartedNoted(caseId, RiskLevel.Medium, Deadline, 1, Now),
            new OfficerAssignmentNoted(caseId, "oscar", 3, Now.AddMinutes(1)),
            new RiskLevelNoted(caseId, RiskLevel.High, RiskBasis.Assessment, 2, Now.AddMinutes(2)),
            new CaseClosureNoted(caseId, CaseOutcome.Referred, 4, Now.AddMinutes(3)),
            new CaseReopeningNoted(caseId, RiskLevel.High, Deadline.AddDays(1), 5, Now.AddMinutes(4)),
            new GrantClosedNoted(caseId, grant, Now.AddMinutes(5)),
            new GrantOpenedNoted(caseId, grant, Now.AddMinutes(6)),
            new RelocationOpenedNoted(caseId, Guid.NewGuid(), Now.AddMinutes(7)),
        ];

        Learned.From(noted.Select(n => n.Fact())).ShouldBe(new Learned(
            CaseStatus.Open, CaseStage.Relocation, RiskLevel.High, "oscar", Deadline.AddDays(1), 0, 1));
    }

    private static Guid Ended(List<LearnedFact> facts, LearnedKind ended)
    {
        var id = Guid.NewGuid();
        facts.Add(LearnedFact.About(ended, id, Now));
        return id;
    }

    private static IEnumerable<LearnedFact[]> Permutations(LearnedFact[] facts) => facts.Length <= 1
        ? [facts]
        : facts.SelectMany((first, i) =>
            Permutations([.. facts[..i], .. facts[(i + 1)..]]).Select(rest => (LearnedFact[])[first, .. rest]));
}
