using System.Data;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace Protection.Console.Exports;

/// <summary>
/// A list as a table: its column names and, per row, its cells (numbers as numbers; text as culture-invariant text).
/// </summary>
public sealed record Sheet(string Name, IReadOnlyList<string> Columns, IEnumerable<IReadOnlyList<object?>> Rows);

/// <summary>The console's list exports: CSV (guarded against formula injection) and Excel.</summary>
public static class SheetWriters
{
    /// <summary>
    /// CSV, UTF-8, a header row. OWASP CSV injection: a cell starting with = + - @ tab or CR gets a leading
    /// apostrophe, so a spreadsheet shows it as text instead of running it as a formula.
    /// </summary>
    public static async Task WriteCsvAsync(Sheet sheet, Stream output)
    {
        await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await using var csv = new CsvWriter(
            writer,
            new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
        foreach (var column in sheet.Columns)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        foreach (var row in sheet.Rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(Text(cell));
            }

            await csv.NextRecordAsync();
        }
    }

    /// <summary>
    /// Excel (.xlsx), one sheet, a header row; numbers as numbers, everything else as text (cells are written as
    /// strings, never as formulas).
    /// </summary>
    public static async Task WriteXlsxAsync(Sheet sheet, IReadOnlyDictionary<string, Type> numeric, Stream output)
    {
        // A table, not a list of rows: its columns (and so the header row) exist even when no row matches.
        using var table = new DataTable(sheet.Name);
        foreach (var column in sheet.Columns)
        {
            table.Columns.Add(column, numeric.GetValueOrDefault(column, typeof(string)));
        }

        foreach (var row in sheet.Rows)
        {
            table.Rows.Add(row
                .Select((cell, i) => numeric.ContainsKey(sheet.Columns[i]) ? cell ?? DBNull.Value : Text(cell))
                .ToArray());
        }

        // MiniExcel's zip needs a stream it can seek in; the answer's body is not one.
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(table, sheetName: sheet.Name);
        buffer.Position = 0;
        await buffer.CopyToAsync(output);
    }

    /// <summary>A cell as culture-invariant text: amounts with a point, moments in ISO 8601 UTC.</summary>
    public static string Text(object? cell) => cell switch
    {
        null => string.Empty,
        decimal amount => amount.ToString("0.00", CultureInfo.InvariantCulture),
        DateTimeOffset at => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? string.Empty,
    };
}
