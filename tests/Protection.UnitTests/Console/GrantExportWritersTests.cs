using System.Text;
using MiniExcelLibs;
using Protection.Console.Funder;

namespace Protection.UnitTests.Console;

/// <summary>The grant list's CSV and Excel writers: header, cells, no formula a spreadsheet would run.</summary>
public sealed class GrantExportWritersTests
{
    private static readonly DateTimeOffset Requested = new(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2));

    private static GrantExportRow Row(string reference, decimal? approved = 6_500m, string? country = "CO") => new(
        Guid.Parse("0193a5e4-0000-7000-8000-000000000001"), reference, country, "high", "physicalSecurity", 7_000m,
        approved, "EUR", "approved", Requested, Requested.AddHours(72), DecisionOverdue: false, Approvals: 2,
        ApprovalsNeeded: 2, Disbursed: 4_000m, StillToPay: 2_500m, ReportDueAt: null, ReportOverdue: false);

    private static async Task<string> CsvAsync(params GrantExportRow[] rows)
    {
        using var stream = new MemoryStream();
        await GrantExportWriters.WriteCsvAsync(rows, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task The_csv_has_the_header_then_one_line_per_grant_in_invariant_figures()
    {
        var lines = (await CsvAsync(Row("PRT-2026-0001"), Row("PRT-2026-0002", approved: null)))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines.Length.ShouldBe(3);
        lines[0].ShouldBe(string.Join(',', GrantExportRow.Columns));
        lines[1].ShouldBe(
            "0193a5e4-0000-7000-8000-000000000001,PRT-2026-0001,CO,high,physicalSecurity,7000.00,6500.00,EUR,"
            + "approved,2026-03-01T07:30:00Z,2026-03-04T07:30:00Z,false,2,2,4000.00,2500.00,,false");
        lines[2].Split(',')[6].ShouldBeEmpty(); // not approved: no amount, not a zero
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tTAB")]
    [InlineData("\rCR")]
    public async Task A_cell_that_would_start_a_formula_is_written_as_text_with_a_leading_apostrophe(string hostile)
    {
        var csv = await CsvAsync(Row(hostile));

        // Read back as a spreadsheet would split it: the reference cell begins with the apostrophe.
        using var parser = new CsvHelper.CsvParser(
            new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        (await parser.ReadAsync()).ShouldBeTrue(); // the header
        (await parser.ReadAsync()).ShouldBeTrue();
        parser.Record![1].ShouldBe("'" + hostile);
        parser.Record[0].ShouldBe("0193a5e4-0000-7000-8000-000000000001");
    }

    [Fact]
    public async Task A_harmless_cell_is_left_as_it_is()
    {
        var csv = await CsvAsync(Row("PRT-2026-0003", country: "BR"));

        csv.ShouldContain(",PRT-2026-0003,BR,");
        csv.ShouldNotContain("'");
    }

    [Fact]
    public async Task The_workbook_holds_the_same_rows_with_amounts_as_numbers()
    {
        using var stream = new MemoryStream();
        await GrantExportWriters.WriteXlsxAsync([Row("PRT-2026-0001"), Row("=1+1", approved: null)], stream);
        stream.Position = 0;

        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

        rows.Count.ShouldBe(2);
        rows[0].Keys.ShouldBe(GrantExportRow.Columns);
        rows[0]["reference"].ShouldBe("PRT-2026-0001");
        Convert.ToDecimal(rows[0]["requested"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(7_000m);
        Convert.ToDecimal(rows[0]["stillToPay"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(2_500m);
        rows[0]["decisionDueAt"].ShouldBe("2026-03-04T07:30:00Z");
        rows[1]["approved"].ShouldBeNull();
        rows[1]["reference"].ShouldBe("=1+1"); // a string cell: Excel shows it, it does not compute it
    }

    [Fact]
    public async Task An_empty_list_still_gives_a_workbook_with_its_header_row()
    {
        using var stream = new MemoryStream();
        await GrantExportWriters.WriteXlsxAsync([], stream);
        stream.Position = 0;

        var rows = stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();

        rows.Count.ShouldBe(1);
        rows[0].Values.Select(v => v?.ToString()).ShouldBe(GrantExportRow.Columns);
    }

    [Theory]
    [InlineData("pending", null, "?status=pending")]
    [InlineData("PENDING", "overdue", "?status=pending&report=overdue")]
    [InlineData("lost", "soon", "")]
    [InlineData(null, "due", "?report=due")]
    public void Only_filters_the_console_knows_go_on_to_the_api(string? status, string? report, string query) =>
        Protection.Console.Api.GrantFilters.Of(status, report).Query().ShouldBe(query);
}
