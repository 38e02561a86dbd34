namespace Protection.Relocations.Relocations;

/// <summary>The relocation rules of the brief, all configurable (<c>Relocation:*</c>).</summary>
public sealed class RelocationOptions
{
    public const string Section = "Relocation";

    public TimeSpan DefaultCheckInInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after a check-in's due time it counts as missed.</summary>
    public TimeSpan CheckInGrace { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The stay a plan may set; longer only by extension.</summary>
    public int InitialStayMonths { get; set; } = 3;

    /// <summary>The longest stay, extensions included, counted from the start date.</summary>
    public int MaxStayMonths { get; set; } = 12;

    /// <summary>How long before the end of the stay it is flagged, so the return can be planned.</summary>
    public TimeSpan StayEndingNotice { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The longest wait a .NET timer takes.</summary>
    public static readonly TimeSpan LongestWatchInterval = TimeSpan.FromDays(49);

    /// <summary>
    /// How often missed check-ins and approaching end dates are looked for. Tests that drive the
    /// watch themselves set <see cref="Timeout.InfiniteTimeSpan"/> (<c>-00:00:00.001</c>): one pass at start only.
    /// </summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMinutes(1);
}
