using System.ComponentModel.DataAnnotations;
using Protection.Contracts.Cases;

namespace Protection.Intake.Cases;

/// <summary>A threat as an officer reports it (when opening a case, or later on the case).</summary>
public sealed record ThreatInput
{
    [Required]
    public ThreatType? Type { get; init; }

    [Required]
    public PerpetratorCategory? Perpetrator { get; init; }

    /// <summary>The day it happened (or started); not in the future.</summary>
    [Required]
    public DateOnly? OccurredOn { get; init; }

    /// <summary>ISO 3166-1 alpha-2, upper case (e.g. <c>CO</c>).</summary>
    [Required]
    [RegularExpression("^[A-Z]{2}$", ErrorMessage = "Use the ISO 3166-1 alpha-2 country code, e.g. CO.")]
    public string? Country { get; init; }

    [StringLength(120)]
    public string? Region { get; init; }

    /// <summary>What happened. Sealed with the case key: it may name people and places.</summary>
    [Required]
    [StringLength(8000, MinimumLength = 1)]
    public string? Description { get; init; }

    /// <summary>Where exactly it happened. Sealed with the case key.</summary>
    [StringLength(500)]
    public string? ExactLocation { get; init; }
}

public static class ThreatRules
{
    /// <summary>Rules that need the clock: a threat cannot have happened in the future.</summary>
    public static void Check(ThreatInput threat, string field, DateTimeOffset now, IDictionary<string, string[]> errors)
    {
        if (threat.OccurredOn > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
        {
            errors[string.IsNullOrEmpty(field) ? "occurredOn" : $"{field}.occurredOn"] = ["The threat cannot have happened in the future."];
        }
    }
}
