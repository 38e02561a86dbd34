using System.ComponentModel.DataAnnotations;
using Protection.Contracts.Cases;
using Protection.ServiceDefaults.Time;

namespace Protection.Intake.Cases;

/// <summary>A threat as an officer reports it (when opening a case, or later on the case).</summary>
public sealed record ThreatInput
{
    [Required]
    public ThreatType? Type { get; init; }

    [Required]
    public PerpetratorCategory? Perpetrator { get; init; }

    /// <summary>The day it happened (or started): from 1900-01-01 to today in <see cref="Country"/>.</summary>
    [Required]
    public DateOnly? OccurredOn { get; init; }

    /// <summary>ISO 3166-1 alpha-2, upper case (e.g. <c>CO</c>).</summary>
    [Required]
    [RegularExpression("^[A-Z]{2}$", ErrorMessage = "Use the ISO 3166-1 alpha-2 country code, e.g. CO.")]
    public string? Country { get; init; }

    /// <summary>Province, department or district, as the defender names it. Sealed with the case key.</summary>
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
    /// <summary>
    /// Rules that need the clock: a threat happened on or after <see cref="DateBounds.EarliestThreat"/>
    /// and not after today in its country (the latest date in any of the country's time zones).
    /// </summary>
    public static void Check(ThreatInput threat, string field, DateTimeOffset now, IDictionary<string, string[]> errors)
    {
        var name = string.IsNullOrEmpty(field) ? "occurredOn" : $"{field}.occurredOn";
        if (threat.OccurredOn < DateBounds.EarliestThreat)
        {
            errors[name] = [$"The earliest date accepted is {DateBounds.EarliestThreat:yyyy-MM-dd}."];
        }
        else if (threat.OccurredOn > DateBounds.TodayIn(threat.Country, now))
        {
            errors[name] =
                ["The threat cannot have happened in the future (it is not yet that day in the country given)."];
        }
    }
}
