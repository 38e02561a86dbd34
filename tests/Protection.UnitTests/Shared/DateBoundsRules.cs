using Protection.Contracts.Cases;
using Protection.Intake.Cases;
using Protection.ServiceDefaults.Time;
using Protection.Triage.Cases.Planning;

namespace Protection.UnitTests.Shared;

/// <summary>The edges of every date a client sends (README, "Bounds").</summary>
public sealed class DateBoundsRules
{
    private static Dictionary<string, string[]> CheckThreat(string country, DateOnly occurredOn, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var threat = new ThreatInput
        {
            Type = ThreatType.Physical, Perpetrator = PerpetratorCategory.Unknown, OccurredOn = occurredOn,
            Country = country, Description = "x",
        };
        ThreatRules.Check(threat, "threats[0]", now, errors);
        return errors;
    }

    private static DateTimeOffset Utc(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    // Bogotá is UTC−5: at 04:00 UTC on the 26th it is still the 25th there, so the 26th is the future.
    [InlineData("CO", 26, 4, "2026-11-25", true)]
    [InlineData("CO", 26, 4, "2026-11-26", false)]
    [InlineData("CO", 26, 5, "2026-11-26", true)]
    // Auckland is UTC+13 in November: at 12:00 UTC on the 25th it is already the 26th there.
    [InlineData("NZ", 25, 12, "2026-11-26", true)]
    [InlineData("NZ", 25, 12, "2026-11-27", false)]
    [InlineData("NZ", 25, 10, "2026-11-26", false)]
    // Kiribati spans UTC+12 to UTC+14: the latest of its zones counts (Kiritimati reaches the 26th at 10:00 UTC).
    [InlineData("KI", 25, 10, "2026-11-26", true)]
    [InlineData("KI", 25, 9, "2026-11-26", false)]
    // A code the tz database does not know gets the latest date on Earth (UTC+14).
    [InlineData("ZZ", 25, 10, "2026-11-26", true)]
    [InlineData("ZZ", 25, 10, "2026-11-27", false)]
    public void A_threat_is_in_the_future_only_when_that_day_has_not_begun_in_its_country(
        string country, int day, int hour, string occurredOn, bool accepted)
    {
        var errors = CheckThreat(country, DateOnly.Parse(occurredOn), Utc(day, hour));
        if (accepted)
        {
            errors.ShouldBeEmpty();
        }
        else
        {
            errors.Keys.ShouldBe(["threats[0].occurredOn"]);
        }
    }

    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    public void A_threat_is_dated_from_1900_to_today(string occurredOn, bool accepted) =>
        CheckThreat("CO", DateOnly.Parse(occurredOn), Utc(25, 12)).Count.ShouldBe(accepted ? 0 : 1);

    [Theory]
    // At 10:00 UTC on the 25th it is the 24th at UTC−12 (22:00) and the 26th at UTC+14 (00:00).
    [InlineData("2026-11-24", true)]
    [InlineData("2026-11-23", false)]
    [InlineData("2028-11-26", true)]
    [InlineData("2028-11-27", false)]
    [InlineData("9999-12-31", false)]
    [InlineData("0001-01-01", false)]
    public void A_measure_is_due_from_today_anywhere_to_two_years_ahead(string dueOn, bool accepted) =>
        (AddMeasure.DueOnProblem(DateOnly.Parse(dueOn), Utc(25, 10)) is null).ShouldBe(accepted);

    [Fact]
    public void Today_at_the_edges_of_the_Earth_brackets_the_UTC_date()
    {
        DateBounds.EarliestToday(Utc(25, 10)).ShouldBe(new DateOnly(2026, 11, 24));
        DateBounds.EarliestToday(Utc(25, 12)).ShouldBe(new DateOnly(2026, 11, 25));
        DateBounds.LatestToday(Utc(25, 9)).ShouldBe(new DateOnly(2026, 11, 25));
        DateBounds.LatestToday(Utc(25, 10)).ShouldBe(new DateOnly(2026, 11, 26));
    }
}
