using System.Globalization;
using System.Net;
using Protection.Console.Api;
using Protection.Console.Exports;

namespace Protection.Console.Funder;

/// <summary>
/// One grant in an export: figures, dates and states only. No texts (purpose, rejection reason, report summary):
/// a spreadsheet travels further than the console, and those texts may name a defender or a place.
/// </summary>
public sealed record GrantExportRow(
    Guid Id,
    string Reference,
    string? Country,
    string? Risk,
    string Category,
    decimal Requested,
    decimal? Approved,
    string Currency,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    bool DecisionOverdue,
    int Approvals,
    int ApprovalsNeeded,
    decimal Disbursed,
    decimal StillToPay,
    DateTimeOffset? ReportDueAt,
    bool ReportOverdue)
{
    /// <summary>The column names, in order: the first row of both exports.</summary>
    public static readonly string[] Columns =
    [
        "id", "reference", "country", "risk", "category", "requested", "approved", "currency", "status",
        "requestedAt", "decisionDueAt", "decisionOverdue", "approvals", "approvalsNeeded", "disbursed",
        "stillToPay", "reportDueAt", "reportOverdue",
    ];

    public static GrantExportRow Of(FunderGrant g) => new(
        g.Id, g.CaseReference, g.Country, g.Risk is { } risk ? Camel(risk.ToString()) : null,
        Camel(g.Category.ToString()), g.RequestedAmount, g.ApprovedAmount, g.Currency, g.Status, g.RequestedAt,
        g.DecisionDueAt, g.DecisionOverdue, g.Approvals.Count, g.ApprovalsNeeded, g.Disbursed, g.StillToPay,
        g.ReportDueAt, g.ReportOverdue);

    /// <summary>The cells in column order: amounts and counts as numbers, the rest as the export writes it.</summary>
    public IReadOnlyList<object?> Values() =>
    [
        Id, Reference, Country, Risk, Category, Requested, Approved, Currency, Status, RequestedAt, DecisionDueAt,
        DecisionOverdue, Approvals, ApprovalsNeeded, Disbursed, StillToPay, ReportDueAt, ReportOverdue,
    ];

    /// <summary>The cells as text, culture-invariant (amounts with a point, moments in ISO 8601, UTC).</summary>
    public IReadOnlyList<string> Cells() => [.. Values().Select(SheetWriters.Text)];

    private static string Camel(string name) => string.Concat(char.ToLowerInvariant(name[0]), name[1..]);
}

/// <summary>The grant list's writers: CSV (guarded against formula injection) and Excel.</summary>
public static class GrantExportWriters
{
    private static readonly Dictionary<string, Type> Numeric = new()
    {
        ["requested"] = typeof(decimal), ["approved"] = typeof(decimal), ["disbursed"] = typeof(decimal),
        ["stillToPay"] = typeof(decimal), ["approvals"] = typeof(int), ["approvalsNeeded"] = typeof(int),
    };

    public static Task WriteCsvAsync(IEnumerable<GrantExportRow> rows, Stream output) =>
        SheetWriters.WriteCsvAsync(Sheet(rows), output);

    public static Task WriteXlsxAsync(IEnumerable<GrantExportRow> rows, Stream output) =>
        SheetWriters.WriteXlsxAsync(Sheet(rows), Numeric, output);

    private static Sheet Sheet(IEnumerable<GrantExportRow> rows) =>
        new("grants", GrantExportRow.Columns, rows.Select(r => r.Values()));
}

/// <summary>
/// <c>GET /grants/export.csv</c> and <c>/grants/export.xlsx</c>: the grant list as the inbox's filters narrow it,
/// read through the API page by page with the person's own token (the API decides what they see).
/// </summary>
public static class GrantExport
{
    /// <summary>An export holds at most this many grants; more must be narrowed with the filters.</summary>
    public const int MaxRows = 10_000;

    private const int ApiPageSize = 200;

    public static WebApplication MapGrantExports(this WebApplication app)
    {
        app.MapGet("/grants/export.csv", (HttpContext http, ProtectionApi api, string? status, string? report) =>
                ExportAsync(http, api, GrantFilters.Of(status, report), csv: true))
            .RequireAuthorization();
        app.MapGet("/grants/export.xlsx", (HttpContext http, ProtectionApi api, string? status, string? report) =>
                ExportAsync(http, api, GrantFilters.Of(status, report), csv: false))
            .RequireAuthorization();
        return app;
    }

    /// <summary>Every page of the filtered list, or the API's refusal (or 413 past <see cref="MaxRows"/>).</summary>
    public static async Task<(List<GrantExportRow>? Rows, HttpStatusCode Status)> ReadAllAsync(
        ProtectionApi api, GrantFilters filters)
    {
        var rows = new List<GrantExportRow>();
        for (var page = 1; ; page++)
        {
            var result = await api.FunderGrantsAsync(filters, page, ApiPageSize);
            if (result is not { Succeeded: true, Value: { } list })
            {
                return (null, result.Status);
            }

            if (list.Total > MaxRows)
            {
                return (null, HttpStatusCode.RequestEntityTooLarge);
            }

            rows.AddRange(list.Items.Select(GrantExportRow.Of));
            if (list.Items.Count < ApiPageSize || rows.Count >= list.Total)
            {
                return (rows, HttpStatusCode.OK);
            }
        }
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ProtectionApi api, GrantFilters filters, bool csv)
    {
        var (rows, status) = await ReadAllAsync(api, filters);
        if (rows is null)
        {
            return status == HttpStatusCode.RequestEntityTooLarge
                ? Results.Problem(
                    $"An export holds at most {MaxRows} grants; narrow it with the filters.",
                    statusCode: StatusCodes.Status413PayloadTooLarge)
                : Results.StatusCode((int)status);
        }

        var name = $"grants{(filters.Status is { } s ? "-" + s : string.Empty)}"
            + $"{(filters.Report is { } r ? "-report-" + r : string.Empty)}";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.{(csv ? "csv" : "xlsx")}\"";
        using var body = new MemoryStream();
        if (csv)
        {
            await GrantExportWriters.WriteCsvAsync(rows, body);
        }
        else
        {
            await GrantExportWriters.WriteXlsxAsync(rows, body);
        }

        return Results.File(
            body.ToArray(),
            csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
}
