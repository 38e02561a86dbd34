using Protection.Intake.Cases;

namespace Protection.UnitTests.Intake;

public sealed class CaseReferenceNumbering
{
    [Theory]
    [InlineData(2026, 1, "PC-2026-000001")]
    [InlineData(2026, 123, "PC-2026-000123")]
    [InlineData(2027, 999999, "PC-2027-999999")]
    [InlineData(2027, 1234567, "PC-2027-1234567")]
    public void A_reference_is_the_year_and_the_zero_padded_number(int year, long number, string expected)
    {
        var reference = CaseReference.Format(year, number);
        reference.ShouldBe(expected);
        CaseReference.TryParse(reference, out var parsedYear, out var parsedNumber).ShouldBeTrue();
        (parsedYear, parsedNumber).ShouldBe((year, number));
    }

    [Theory]
    [InlineData(2026, 0)]
    [InlineData(2026, -5)]
    [InlineData(1999, 1)]
    public void Impossible_numbers_and_years_are_refused(int year, long number) =>
        Should.Throw<ArgumentOutOfRangeException>(() => CaseReference.Format(year, number));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("PC-26-000001")]
    [InlineData("XX-2026-000001")]
    [InlineData("PC-2026-00001")]
    public void Text_that_is_not_a_reference_does_not_parse(string? text) =>
        CaseReference.TryParse(text, out _, out _).ShouldBeFalse();

    [Fact]
    public void References_sort_as_text_in_the_order_cases_were_opened()
    {
        // The sequence only grows, also across years.
        var opened = Enumerable.Range(1, 300).Select(n => CaseReference.Format(2026 + (n / 150), n * 37L)).ToList();
        var shuffled = opened.OrderBy(_ => Random.Shared.Next()).ToList();
        shuffled.Sort(StringComparer.Ordinal);
        shuffled.ShouldBe(opened);
    }
}
