using System.Globalization;
using System.Text.RegularExpressions;

namespace Protection.Intake.Cases;

/// <summary>
/// The human-friendly pseudonymous reference, <c>PC-2026-000123</c>: the year the case was opened
/// and a number from one database sequence. Unique (one sequence), sortable in opening order
/// (numbers only grow, and are zero-padded), and free of anything that identifies the defender.
/// </summary>
public static partial class CaseReference
{
    public const string Prefix = "PC";
    public const string SequenceName = "case_reference_seq";

    public static string Format(int year, long number)
    {
        if (year is < 2000 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{year:D4}-{number:D6}");
    }

    public static bool TryParse(string? reference, out int year, out long number)
    {
        year = 0;
        number = 0;
        var match = reference is null ? null : Pattern().Match(reference);
        return match is { Success: true }
            && int.TryParse(match.Groups["year"].ValueSpan, CultureInfo.InvariantCulture, out year)
            && long.TryParse(match.Groups["number"].ValueSpan, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"^PC-(?<year>\d{4})-(?<number>\d{6,})$")]
    private static partial Regex Pattern();
}
