using System.Collections.Frozen;
using NodaTime;
using NodaTime.TimeZones;

namespace Protection.ServiceDefaults.Time;

/// <summary>
/// The bounds every date a client sends is checked against, in one place. Days are calendar days
/// where the people are, not in UTC: "today" in Manila starts eight hours before it does in UTC,
/// and a threat reported there this morning must not be refused as a future one.
/// </summary>
public static class DateBounds
{
    /// <summary>No threat to a living defender happened before this day.</summary>
    public static readonly DateOnly EarliestThreat = new(1900, 1, 1);

    /// <summary>A protection measure is planned at most this far ahead.</summary>
    public const int MeasureHorizonYears = 2;

    /// <summary>A relocation's stay may start at most this long ago (recorded after an urgent move) …</summary>
    public const int StayStartPastDays = 31;

    /// <summary>… and at most this far ahead.</summary>
    public const int StayStartHorizonYears = 1;

    private static readonly Offset EarliestOffset = Offset.FromHours(-12);
    private static readonly Offset LatestOffset = Offset.FromHours(14);

    // ISO 3166-1 alpha-2 → the country's time zones, from the tz database NodaTime ships (zone1970.tab).
    private static readonly FrozenDictionary<string, DateTimeZone[]> ZonesByCountry =
        (TzdbDateTimeZoneSource.Default.Zone1970Locations ?? [])
            .SelectMany(location => location.Countries.Select(country => (country.Code, location.ZoneId)))
            .GroupBy(pair => pair.Code, StringComparer.Ordinal)
            .ToFrozenDictionary(
                group => group.Key,
                group => group.Select(pair => DateTimeZoneProviders.Tzdb[pair.ZoneId]).ToArray(),
                StringComparer.Ordinal);

    /// <summary>Today where it is earliest on Earth (UTC−12): a date before it is past everywhere.</summary>
    public static DateOnly EarliestToday(DateTimeOffset now) => DateIn(now, EarliestOffset);

    /// <summary>Today where it is latest on Earth (UTC+14): a date after it is future everywhere.</summary>
    public static DateOnly LatestToday(DateTimeOffset now) => DateIn(now, LatestOffset);

    /// <summary>
    /// The latest date it is now in any time zone of <paramref name="country"/> (ISO 3166-1 alpha-2).
    /// A date after it has not begun anywhere in that country. An unknown code gets the latest on Earth.
    /// </summary>
    public static DateOnly TodayIn(string? country, DateTimeOffset now)
    {
        if (country is null || !ZonesByCountry.TryGetValue(country, out var zones))
        {
            return LatestToday(now);
        }

        var instant = Instant.FromDateTimeOffset(now);
        return zones.Select(zone => instant.InZone(zone).Date.ToDateOnly()).Max();
    }

    private static DateOnly DateIn(DateTimeOffset now, Offset offset) =>
        Instant.FromDateTimeOffset(now).WithOffset(offset).Date.ToDateOnly();
}
