namespace Protection.EmergencyAssistance.Grants;

/// <summary>The grant rules of the brief, all configurable (<c>Assistance:*</c>).</summary>
public sealed class AssistanceOptions
{
    public const string Section = "Assistance";

    /// <summary>Most a single grant may be, in the fund's currency.</summary>
    public decimal GrantCap { get; set; } = 10_000;

    /// <summary>An amount above this needs two approvals by two different funders.</summary>
    public decimal TwoApprovalsAbove { get; set; } = 5_000;

    /// <summary>An amount above this is paid in at least two tranches.</summary>
    public decimal TranchesAbove { get; set; } = 6_000;

    public TimeSpan DecisionDeadline { get; set; } = TimeSpan.FromHours(72);

    public TimeSpan CriticalDecisionDeadline { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan ReportDueAfter { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan OverdueCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
