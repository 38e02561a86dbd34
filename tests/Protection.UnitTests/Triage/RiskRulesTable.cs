using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Triage.Risk;

namespace Protection.UnitTests.Triage;

/// <summary>The triage options exactly as services/Triage/appsettings.json ships them.</summary>
internal static class ShippedTriageOptions
{
    public static TriageOptions Load() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Triage", "appsettings.json"), optional: false)
            .Build()
            .GetSection(TriageOptions.Section)
            .Get<TriageOptions>()
        ?? throw new InvalidOperationException("The shipped appsettings.json has no Triage section.");
}

/// <summary>The risk rules table as shipped, edge by edge.</summary>
public sealed class RiskRulesTable
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private static readonly RiskEvaluator Evaluator = new(ShippedTriageOptions.Load().RiskRules);

    private static ThreatSummary Threat(
        ThreatType type,
        int daysAgo,
        PerpetratorCategory perpetrator = PerpetratorCategory.Unknown) =>
        new(Guid.CreateVersion7(), type, perpetrator, Today.AddDays(-daysAgo), "CO");

    /// <summary>An assessment with these scores and no threats.</summary>
    private static RiskResult Scores(
        int emotionalCognitive = 0,
        int physical = 0,
        int spiritual = 0,
        int economic = 0,
        int political = 0) =>
        Evaluator.Evaluate(
            new DimensionScores(emotionalCognitive, physical, spiritual, economic, political),
            [],
            Today);

    /// <summary>A preliminary risk: no scores, these threats.</summary>
    private static RiskResult Preliminary(params ThreatSummary[] threats) => Evaluator.Evaluate(null, threats, Today);

    private static RiskReason Reason(RiskResult result, string rule) => result.Reasons.Single(r => r.Rule == rule);

    // Score rules

    [Fact]
    public void Physical_at_3_is_critical_by_physical_extreme()
    {
        var result = Scores(physical: 3);

        result.Level.ShouldBe(RiskLevel.Critical);
        result.RuleNames.ShouldBe(["physical-extreme", "any-dimension-extreme", "any-dimension-severe"]);
    }

    [Fact]
    public void Physical_at_2_alone_is_medium_by_any_dimension_severe_only()
    {
        var result = Scores(physical: 2);

        result.Level.ShouldBe(RiskLevel.Medium);
        result.RuleNames.ShouldBe(["any-dimension-severe"]);
    }

    [Fact]
    public void Two_dimensions_at_3_are_critical_by_several_dimensions_extreme()
    {
        var result = Scores(emotionalCognitive: 3, political: 3);

        result.Level.ShouldBe(RiskLevel.Critical);
        result.RuleNames.ShouldBe(
            ["several-dimensions-extreme", "any-dimension-extreme", "any-dimension-severe", "total-elevated"]);
    }

    [Fact]
    public void One_non_physical_dimension_at_3_is_high_by_any_dimension_extreme()
    {
        var result = Scores(spiritual: 3);

        result.Level.ShouldBe(RiskLevel.High);
        result.RuleNames.ShouldBe(["any-dimension-extreme", "any-dimension-severe"]);
    }

    [Fact]
    public void Three_dimensions_at_2_are_high_by_several_dimensions_severe()
    {
        var result = Scores(emotionalCognitive: 2, spiritual: 2, economic: 2);

        result.Level.ShouldBe(RiskLevel.High);
        result.RuleNames.ShouldBe(["several-dimensions-severe", "any-dimension-severe", "total-elevated"]);
    }

    [Fact]
    public void Two_dimensions_at_2_are_only_medium()
    {
        var result = Scores(emotionalCognitive: 2, spiritual: 2);

        result.Level.ShouldBe(RiskLevel.Medium);
        result.RuleNames.ShouldBe(["any-dimension-severe"]);
    }

    [Fact]
    public void A_total_of_10_fires_total_severe()
    {
        // No dimension at 3, so only the "severe" rules can fire; total-severe is named on its own.
        var result = Scores(2, 2, 2, 2, 2);

        result.Level.ShouldBe(RiskLevel.High);
        result.RuleNames.ShouldBe(
            ["several-dimensions-severe", "total-severe", "any-dimension-severe", "total-elevated"]);
        Reason(result, "total-severe").Evidence.ShouldBe(["total = 10"]);
    }

    [Fact]
    public void A_total_of_9_does_not_fire_total_severe()
    {
        var result = Scores(2, 2, 2, 2, 1);

        result.RuleNames.ShouldNotContain("total-severe");
        result.RuleNames.ShouldBe(["several-dimensions-severe", "any-dimension-severe", "total-elevated"]);
    }

    [Fact]
    public void One_dimension_at_2_is_medium_by_any_dimension_severe()
    {
        var result = Scores(economic: 2);

        result.Level.ShouldBe(RiskLevel.Medium);
        result.RuleNames.ShouldBe(["any-dimension-severe"]);
        Reason(result, "any-dimension-severe").Evidence.ShouldBe(["economic = 2"]);
    }

    [Fact]
    public void A_total_of_5_from_ones_is_medium_by_total_elevated()
    {
        var result = Scores(1, 1, 1, 1, 1);

        result.Level.ShouldBe(RiskLevel.Medium);
        result.RuleNames.ShouldBe(["total-elevated"]);
        Reason(result, "total-elevated").Evidence.ShouldBe(["total = 5"]);
    }

    [Fact]
    public void A_total_of_4_from_ones_is_low_by_the_baseline()
    {
        var result = Scores(1, 1, 1, 1, 0);

        result.Level.ShouldBe(RiskLevel.Low);
        var reason = result.Reasons.ShouldHaveSingleItem();
        reason.Rule.ShouldBe(RiskResult.BaselineRule);
        reason.Rule.ShouldBe("baseline");
        reason.Level.ShouldBe(RiskLevel.Low);
        reason.Decisive.ShouldBeTrue();
        reason.Evidence.ShouldBeEmpty();
    }

    // Threat rules

    [Theory]
    [InlineData(ThreatType.Physical)]
    [InlineData(ThreatType.Detention)]
    public void Violence_7_days_before_today_is_high_by_recent_violence(ThreatType type)
    {
        var result = Preliminary(Threat(type, daysAgo: 7));

        result.Level.ShouldBe(RiskLevel.High);
        result.RuleNames.ShouldBe(["recent-violence"]);
    }

    [Theory]
    [InlineData(ThreatType.Physical)]
    [InlineData(ThreatType.Detention)]
    public void Violence_8_days_before_today_is_not_recent(ThreatType type)
    {
        var result = Preliminary(Threat(type, daysAgo: 8));

        result.RuleNames.ShouldNotContain("recent-violence");
        result.Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void Intimidation_today_is_not_recent_violence()
    {
        var result = Preliminary(Threat(ThreatType.Intimidation, daysAgo: 0));

        result.RuleNames.ShouldNotContain("recent-violence");
        result.Level.ShouldBe(RiskLevel.Low);
        result.RuleNames.ShouldBe(["baseline"]);
    }

    [Fact]
    public void Two_violent_threats_the_older_30_days_ago_are_critical_by_repeated_violence()
    {
        var result = Preliminary(Threat(ThreatType.Physical, daysAgo: 30), Threat(ThreatType.Detention, daysAgo: 10));

        result.Level.ShouldBe(RiskLevel.Critical);
        result.RuleNames.ShouldBe(["repeated-violence"]);
        Reason(result, "repeated-violence").Evidence.Count.ShouldBe(2);
    }

    [Fact]
    public void Two_violent_threats_the_older_31_days_ago_are_not_repeated_violence()
    {
        var result = Preliminary(Threat(ThreatType.Physical, daysAgo: 31), Threat(ThreatType.Detention, daysAgo: 10));

        result.RuleNames.ShouldNotContain("repeated-violence");
        result.Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void Repeated_violence_and_recent_violence_fire_together()
    {
        var result = Preliminary(Threat(ThreatType.Physical, daysAgo: 20), Threat(ThreatType.Physical, daysAgo: 1));

        result.Level.ShouldBe(RiskLevel.Critical);
        result.RuleNames.ShouldBe(["repeated-violence", "recent-violence"]);
        Reason(result, "recent-violence").Evidence.Count.ShouldBe(1);
    }

    [Fact]
    public void A_single_violent_threat_is_not_repeated_violence()
    {
        var result = Preliminary(Threat(ThreatType.Physical, daysAgo: 1));

        result.RuleNames.ShouldNotContain("repeated-violence");
        result.Level.ShouldBe(RiskLevel.High);
    }

    [Fact]
    public void A_violent_and_a_non_violent_threat_are_not_repeated_violence()
    {
        var result = Preliminary(Threat(ThreatType.Physical, daysAgo: 1), Threat(ThreatType.Intimidation, daysAgo: 2));

        result.RuleNames.ShouldBe(["recent-violence"]);
    }

    [Theory]
    [InlineData(PerpetratorCategory.State, 0)]
    [InlineData(PerpetratorCategory.State, 30)]
    [InlineData(PerpetratorCategory.NonStateArmedGroup, 0)]
    [InlineData(PerpetratorCategory.NonStateArmedGroup, 30)]
    public void A_threat_by_an_armed_actor_within_30_days_is_medium_by_armed_actor_recent(
        PerpetratorCategory perpetrator,
        int daysAgo)
    {
        var result = Preliminary(Threat(ThreatType.Intimidation, daysAgo, perpetrator));

        result.Level.ShouldBe(RiskLevel.Medium);
        result.RuleNames.ShouldBe(["armed-actor-recent"]);
    }

    [Theory]
    [InlineData(PerpetratorCategory.Community)]
    [InlineData(PerpetratorCategory.Family)]
    [InlineData(PerpetratorCategory.Unknown)]
    public void A_threat_by_someone_other_than_an_armed_actor_is_not_armed_actor_recent(PerpetratorCategory perpetrator)
    {
        var result = Preliminary(Threat(ThreatType.Intimidation, daysAgo: 0, perpetrator));

        result.RuleNames.ShouldNotContain("armed-actor-recent");
        result.Level.ShouldBe(RiskLevel.Low);
    }

    [Theory]
    [InlineData(PerpetratorCategory.State)]
    [InlineData(PerpetratorCategory.NonStateArmedGroup)]
    public void A_threat_by_an_armed_actor_31_days_ago_is_not_armed_actor_recent(PerpetratorCategory perpetrator)
    {
        var result = Preliminary(Threat(ThreatType.Intimidation, daysAgo: 31, perpetrator));

        result.RuleNames.ShouldNotContain("armed-actor-recent");
        result.Level.ShouldBe(RiskLevel.Low);
    }

    [Fact]
    public void Threat_rules_also_fire_alongside_an_assessment()
    {
        var result = Evaluator.Evaluate(
            new DimensionScores(0, 0, 0, 2, 0),
            [Threat(ThreatType.Physical, daysAgo: 3, PerpetratorCategory.State)],
            Today);

        result.Level.ShouldBe(RiskLevel.High);
        result.RuleNames.ShouldBe(["recent-violence", "any-dimension-severe", "armed-actor-recent"]);
    }

    // Preliminary risk

    [Fact]
    public void A_preliminary_risk_with_no_threats_is_low_with_the_baseline_as_its_only_reason()
    {
        var result = Preliminary();

        result.Level.ShouldBe(RiskLevel.Low);
        var reason = result.Reasons.ShouldHaveSingleItem();
        reason.Rule.ShouldBe("baseline");
        reason.Decisive.ShouldBeTrue();
        reason.Because.ShouldStartWith("No threat matched a rule");
    }

    [Fact]
    public void A_preliminary_risk_with_threats_matching_no_rule_is_low_by_the_baseline()
    {
        var result = Preliminary(
            Threat(ThreatType.Digital, daysAgo: 2),
            Threat(ThreatType.Reprisal, daysAgo: 40, PerpetratorCategory.State));

        result.Level.ShouldBe(RiskLevel.Low);
        result.RuleNames.ShouldBe(["baseline"]);
    }

    [Fact]
    public void A_preliminary_risk_never_fires_a_score_rule()
    {
        var result = Preliminary(Threat(ThreatType.Physical, daysAgo: 0, PerpetratorCategory.State));

        result.RuleNames.ShouldBe(["recent-violence", "armed-actor-recent"]);
        result.RuleNames.ShouldNotContain("total-elevated");
        result.RuleNames.ShouldNotContain("any-dimension-severe");
    }

    // Decisive reasons and their order

    [Fact]
    public void Only_reasons_at_the_result_level_are_decisive()
    {
        var result = Scores(physical: 3);

        result.Reasons.Select(r => (r.Rule, r.Decisive)).ShouldBe(
        [
            ("physical-extreme", true),
            ("any-dimension-extreme", false),
            ("any-dimension-severe", false),
        ]);
    }

    [Fact]
    public void Every_reason_at_the_top_level_is_decisive()
    {
        var result = Scores(physical: 3, political: 3);

        result.Level.ShouldBe(RiskLevel.Critical);
        result.Reasons.Where(r => r.Decisive).Select(r => r.Rule)
            .ShouldBe(["physical-extreme", "several-dimensions-extreme"]);
        result.Reasons.Where(r => !r.Decisive).ShouldAllBe(r => r.Level < RiskLevel.Critical);
    }

    [Fact]
    public void Reasons_are_ordered_highest_level_first()
    {
        var result = Evaluator.Evaluate(
            new DimensionScores(1, 1, 3, 0, 0),
            [
                Threat(ThreatType.Physical, daysAgo: 2, PerpetratorCategory.NonStateArmedGroup),
                Threat(ThreatType.Detention, daysAgo: 12),
            ],
            Today);

        result.Level.ShouldBe(RiskLevel.Critical);
        result.Reasons.Select(r => r.Level).ShouldBe(
            [RiskLevel.Critical, RiskLevel.High, RiskLevel.High, RiskLevel.Medium, RiskLevel.Medium, RiskLevel.Medium]);
        result.RuleNames.ShouldBe(
            [
                "repeated-violence", "recent-violence", "any-dimension-extreme", "any-dimension-severe",
                "total-elevated", "armed-actor-recent",
            ]);
        result.Reasons[0].Decisive.ShouldBeTrue();
        result.Reasons.Skip(1).ShouldAllBe(r => !r.Decisive);
    }

    // Evidence

    [Fact]
    public void Score_evidence_names_each_matching_dimension_in_camel_case()
    {
        var result = Scores(emotionalCognitive: 3, physical: 3, economic: 2);

        Reason(result, "physical-extreme").Evidence.ShouldBe(["physical = 3"]);
        Reason(result, "several-dimensions-extreme").Evidence.ShouldBe(["emotionalCognitive = 3", "physical = 3"]);
        Reason(result, "any-dimension-severe").Evidence
            .ShouldBe(["emotionalCognitive = 3", "physical = 3", "economic = 2"]);
        Reason(result, "total-elevated").Evidence.ShouldBe(["total = 8"]);
    }

    [Fact]
    public void Threat_evidence_names_the_type_perpetrator_and_date()
    {
        var result = Preliminary(Threat(ThreatType.Detention, daysAgo: 7, PerpetratorCategory.NonStateArmedGroup));

        var evidence = Reason(result, "recent-violence").Evidence.ShouldHaveSingleItem();
        evidence.ShouldBe("detention threat by nonStateArmedGroup on 2026-11-18 (7 days before 2026-11-25)");
        Reason(result, "armed-actor-recent").Evidence.ShouldBe([evidence]);
    }

    [Fact]
    public void Threat_evidence_lists_only_the_threats_that_count()
    {
        var result = Preliminary(
            Threat(ThreatType.Physical, daysAgo: 2),
            Threat(ThreatType.Physical, daysAgo: 40),
            Threat(ThreatType.Intimidation, daysAgo: 1));

        Reason(result, "recent-violence").Evidence
            .ShouldBe(["physical threat by unknown on 2026-11-23 (2 days before 2026-11-25)"]);
    }

    // Validation

    private static ValidateOptionsResult Validate(TriageOptions options) =>
        new TriageOptionsValidator().Validate(null, options);

    [Fact]
    public void The_shipped_options_are_valid()
    {
        var result = Validate(ShippedTriageOptions.Load());

        result.Succeeded.ShouldBeTrue(result.FailureMessage);
    }

    [Fact]
    public void The_shipped_options_have_every_rule_and_every_deadline()
    {
        var options = ShippedTriageOptions.Load();

        options.RiskRules.Select(r => r.Name).ShouldBe(
        [
            "physical-extreme", "several-dimensions-extreme", "repeated-violence", "recent-violence",
            "any-dimension-extreme", "several-dimensions-severe", "total-severe", "any-dimension-severe",
            "total-elevated", "armed-actor-recent",
        ]);
        options.DeadlineFor(RiskLevel.Critical).ShouldBe(TimeSpan.FromHours(1));
        options.DeadlineFor(RiskLevel.High).ShouldBe(TimeSpan.FromHours(4));
        options.DeadlineFor(RiskLevel.Medium).ShouldBe(TimeSpan.FromHours(24));
        options.DeadlineFor(RiskLevel.Low).ShouldBe(TimeSpan.FromHours(72));
    }

    [Fact]
    public void A_rule_with_no_condition_is_refused()
    {
        var options = ShippedTriageOptions.Load();
        options.RiskRules.Add(new RiskRule { Name = "everyone", Level = RiskLevel.High, Because = "Always." });

        var result = Validate(options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldContain("(everyone) has no condition");
    }

    [Fact]
    public void Duplicate_rule_names_are_refused()
    {
        var options = ShippedTriageOptions.Load();
        options.RiskRules.Add(
            new RiskRule { Name = "recent-violence", Level = RiskLevel.Medium, Because = "Again.", WithinDays = 3 });

        var result = Validate(options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldContain("repeated: recent-violence");
    }

    [Fact]
    public void A_missing_deadline_for_a_level_is_refused()
    {
        var options = ShippedTriageOptions.Load();
        options.FirstTriageDeadlines.Remove(RiskLevel.Medium).ShouldBeTrue();

        var result = Validate(options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldContain("FirstTriageDeadlines:Medium");
    }

    [Fact]
    public void A_min_score_of_4_is_refused()
    {
        var options = ShippedTriageOptions.Load();
        options.RiskRules.Single(r => r.Name == "physical-extreme").MinScore = 4;

        var result = Validate(options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldContain("(physical-extreme): MinScore must be 0..3");
    }
}
