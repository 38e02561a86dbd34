using System.Globalization;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;

namespace Protection.Triage.Risk;

/// <summary>A rule that fired, the facts that made it fire, and whether it set the level.</summary>
public sealed record RiskReason(
    string Rule, RiskLevel Level, string Because, IReadOnlyList<string> Evidence, bool Decisive);

/// <summary>A risk level with every reason that produced it, decisive reasons first.</summary>
public sealed record RiskResult(RiskLevel Level, IReadOnlyList<RiskReason> Reasons)
{
    public const string BaselineRule = "baseline";

    public IReadOnlyList<string> RuleNames => Reasons.Select(r => r.Rule).ToArray();
}

/// <summary>
/// Applies the rules table. Pure: the same scores, threats and day give the same result, so a
/// level can always be explained and re-derived from the history.
/// </summary>
public sealed class RiskEvaluator(IReadOnlyList<RiskRule> rules)
{
    /// <param name="scores">The assessment, or null for the preliminary risk from threats alone.</param>
    /// <param name="today">The day the evaluation is made; "within N days" counts back from it.</param>
    public RiskResult Evaluate(DimensionScores? scores, IReadOnlyList<ThreatSummary> threats, DateOnly today)
    {
        var fired = new List<(RiskRule Rule, List<string> Evidence)>();
        foreach (var rule in rules)
        {
            var evidence = new List<string>();
            if (rule.HasScoreCondition && (scores is null || !ScoresHold(rule, scores, evidence)))
            {
                continue;
            }

            if (rule.HasThreatCondition && !ThreatsHold(rule, threats, today, evidence))
            {
                continue;
            }

            if (rule.HasScoreCondition || rule.HasThreatCondition)
            {
                fired.Add((rule, evidence));
            }
        }

        if (fired.Count == 0)
        {
            var basis = scores is null ? "No threat matched a rule" : "No score or threat matched a rule";
            var baseline = new RiskReason(
                RiskResult.BaselineRule, RiskLevel.Low, $"{basis}; low is the baseline.", [], Decisive: true);
            return new RiskResult(RiskLevel.Low, [baseline]);
        }

        var level = fired.Max(f => f.Rule.Level);
        return new RiskResult(level, fired
            .OrderByDescending(f => f.Rule.Level)
            .Select(f => new RiskReason(f.Rule.Name, f.Rule.Level, f.Rule.Because, f.Evidence, f.Rule.Level == level))
            .ToArray());
    }

    private static bool ScoresHold(RiskRule rule, DimensionScores scores, List<string> evidence)
    {
        if (rule.MinScore is { } minScore)
        {
            var looked = rule.Dimensions.Count == 0
                ? Enum.GetValues<Dimension>()
                : rule.Dimensions.Distinct().ToArray();
            var matching = looked.Where(d => scores[d] >= minScore).ToArray();
            if (matching.Length < rule.MinCount)
            {
                return false;
            }

            evidence.AddRange(matching.Select(d => $"{Camel(d)} = {scores[d]}"));
        }

        if (rule.MinTotal is { } minTotal)
        {
            if (scores.Total < minTotal)
            {
                return false;
            }

            evidence.Add($"total = {scores.Total}");
        }

        return true;
    }

    private static bool ThreatsHold(
        RiskRule rule, IReadOnlyList<ThreatSummary> threats, DateOnly today, List<string> evidence)
    {
        var matching = threats
            .Where(t => rule.ThreatTypes.Count == 0 || rule.ThreatTypes.Contains(t.Type))
            .Where(t => rule.Perpetrators.Count == 0 || rule.Perpetrators.Contains(t.Perpetrator))
            .Where(t => rule.WithinDays is not { } days || today.DayNumber - t.OccurredOn.DayNumber <= days)
            .ToArray();
        if (matching.Length < (rule.MinThreats ?? 1))
        {
            return false;
        }

        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        evidence.AddRange(matching.Select(t =>
            $"{Camel(t.Type)} threat by {Camel(t.Perpetrator)} "
            + $"on {t.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} "
            + $"({Math.Max(0, today.DayNumber - t.OccurredOn.DayNumber)} days before {day})"));
        return true;
    }

    private static string Camel<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
