using Microsoft.Extensions.Options;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;

namespace Protection.Triage.Risk;

/// <summary>
/// One row of the risk rules table (configuration, <c>Triage:RiskRules</c>). A rule fires when
/// every condition it sets holds; the case's level is the highest level of the rules that fired.
/// Score conditions need an assessment, so only threat conditions can fire for a preliminary risk.
/// </summary>
public sealed class RiskRule
{
    /// <summary>Stable, kebab-case; published in <c>RiskAssessed.Rules</c>.</summary>
    public string Name { get; set; } = string.Empty;

    public RiskLevel Level { get; set; }

    /// <summary>The rule in words, shown with the level it produced.</summary>
    public string Because { get; set; } = string.Empty;

    /// <summary>Dimensions the score condition looks at; all five when empty.</summary>
    public List<Dimension> Dimensions { get; set; } = [];

    /// <summary>
    /// Score condition: at least <see cref="MinCount"/> of <see cref="Dimensions"/> score this much or more.
    /// </summary>
    public int? MinScore { get; set; }

    public int MinCount { get; set; } = 1;

    /// <summary>Score condition: the five scores add up to at least this.</summary>
    public int? MinTotal { get; set; }

    /// <summary>Threat condition: only threats of these types count; any type when empty.</summary>
    public List<ThreatType> ThreatTypes { get; set; } = [];

    /// <summary>Threat condition: only threats by these perpetrators count; any when empty.</summary>
    public List<PerpetratorCategory> Perpetrators { get; set; } = [];

    /// <summary>Threat condition: only threats that happened this many days ago or less count (inclusive).</summary>
    public int? WithinDays { get; set; }

    /// <summary>
    /// Threat condition: at least this many threats count (1 when the rule sets any threat condition).
    /// </summary>
    public int? MinThreats { get; set; }

    internal bool HasScoreCondition => MinScore is not null || MinTotal is not null;

    internal bool HasThreatCondition =>
        ThreatTypes.Count > 0 || Perpetrators.Count > 0 || WithinDays is not null || MinThreats is not null;
}

/// <summary>Triage's configurable rules: deadlines by risk, the risk rules table, the overdue check.</summary>
public sealed class TriageOptions
{
    public const string Section = "Triage";

    /// <summary>Time from intake (or from re-opening triage) to the first assessment, by risk level.</summary>
    public Dictionary<RiskLevel, TimeSpan> FirstTriageDeadlines { get; set; } = [];

    /// <summary>How often the overdue detector looks for breached deadlines.</summary>
    public TimeSpan OverdueCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    public List<RiskRule> RiskRules { get; set; } = [];

    /// <summary>
    /// The level a case is raised to (at least) when a relocated defender misses a check-in or checks in
    /// with an emergency.
    /// </summary>
    public RelocationAlertLevels RelocationAlerts { get; set; } = new();

    public TimeSpan DeadlineFor(RiskLevel level) => FirstTriageDeadlines[level];
}

/// <summary>The least level in force after a relocation alert; a case already higher keeps its level.</summary>
public sealed class RelocationAlertLevels
{
    public RiskLevel MissedCheckIn { get; set; } = RiskLevel.High;

    public RiskLevel EmergencyCheckIn { get; set; } = RiskLevel.Critical;
}

/// <summary>Refuses to start with a rules table that cannot mean what its author thinks.</summary>
public sealed class TriageOptionsValidator : IValidateOptions<TriageOptions>
{
    public ValidateOptionsResult Validate(string? name, TriageOptions options)
    {
        var problems = new List<string>();
        foreach (var level in Enum.GetValues<RiskLevel>())
        {
            if (!options.FirstTriageDeadlines.TryGetValue(level, out var deadline) || deadline <= TimeSpan.Zero)
            {
                problems.Add($"Triage:FirstTriageDeadlines:{level} must be a positive time span (e.g. \"04:00:00\").");
            }
        }

        if (options.OverdueCheckInterval <= TimeSpan.Zero)
        {
            problems.Add("Triage:OverdueCheckInterval must be positive.");
        }

        if (options.RiskRules.Count == 0)
        {
            problems.Add("Triage:RiskRules is empty: every case would be low risk. "
                + "Restore the table from services/Triage/appsettings.json.");
        }

        for (var i = 0; i < options.RiskRules.Count; i++)
        {
            var rule = options.RiskRules[i];
            var at = $"Triage:RiskRules:{i} ({(string.IsNullOrWhiteSpace(rule.Name) ? "unnamed" : rule.Name)})";
            if (string.IsNullOrWhiteSpace(rule.Name) || string.IsNullOrWhiteSpace(rule.Because))
            {
                problems.Add($"{at} needs a Name and a Because.");
            }

            if (!rule.HasScoreCondition && !rule.HasThreatCondition)
            {
                problems.Add($"{at} has no condition; it would fire for every case.");
            }

            var looked = rule.Dimensions.Count == 0 ? 5 : rule.Dimensions.Count;
            if (rule.MinScore is < 0 or > DimensionScores.Max
                || rule.MinCount < 1
                || rule.MinCount > Math.Max(1, looked))
            {
                problems.Add(
                    $"{at}: MinScore must be 0..3 and MinCount between 1 and the number of dimensions it looks at.");
            }

            if (rule.MinTotal is < 0 or > 5 * DimensionScores.Max || rule.WithinDays is < 0 || rule.MinThreats is < 1)
            {
                problems.Add($"{at}: MinTotal must be 0..15, WithinDays 0 or more, MinThreats 1 or more.");
            }
        }

        var duplicates = options.RiskRules
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToArray();
        if (duplicates.Length > 0)
        {
            problems.Add($"Triage:RiskRules names must be unique; repeated: {string.Join(", ", duplicates)}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
