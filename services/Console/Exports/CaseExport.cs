using System.Net;
using Protection.Console.Api;

namespace Protection.Console.Exports;

/// <summary>
/// <c>GET /cases/export.csv</c> and <c>/cases/export.xlsx</c>: the case list as <em>My cases</em> filters it
/// (stage, risk, threat type, country, overdue), read through the API page by page with the person's own token:
/// the API decides which cases they see. The list carries no personal data, so neither does the export.
/// </summary>
public static class CaseExport
{
    /// <summary>An export holds at most this many cases; more must be narrowed with the filters.</summary>
    public const int MaxRows = 10_000;

    public static readonly string[] Columns =
    [
        "id", "reference", "status", "stage", "country", "threatTypes", "risk", "assignedTo", "triageDueAt",
        "triageOverdue", "openedBy", "openedAt", "organisation", "shared",
    ];

    private const int ApiPageSize = 200;

    private static readonly string[] Filters = ["stage", "risk", "threatType", "country", "overdue"];

    public static WebApplication MapCaseExports(this WebApplication app)
    {
        app.MapGet("/cases/export.csv", (HttpContext http, ProtectionApi api) => ExportAsync(http, api, csv: true))
            .RequireAuthorization();
        app.MapGet("/cases/export.xlsx", (HttpContext http, ProtectionApi api) => ExportAsync(http, api, csv: false))
            .RequireAuthorization();
        return app;
    }

    /// <summary>One case's cells, in <see cref="Columns"/> order.</summary>
    public static IReadOnlyList<object?> Values(CaseSummary c) =>
    [
        c.Id, c.Reference, Camel(c.Status.ToString()), Camel(c.Stage.ToString()), c.Country,
        string.Join(' ', c.ThreatTypes.Select(t => Camel(t.ToString()))),
        c.Risk is { } risk ? Camel(risk.ToString()) : null,
        c.AssignedTo, c.TriageDueAt, c.TriageOverdue, c.OpenedBy, c.OpenedAt, c.Organisation, c.Shared,
    ];

    /// <summary>The filters of the address the API knows, as its query string (anything else is dropped).</summary>
    public static string Query(IQueryCollection query) => string.Concat(Filters
        .Where(name => !string.IsNullOrWhiteSpace(query[name]))
        .Select(name => $"&{name}={Uri.EscapeDataString(query[name].ToString().Trim())}"));

    private static async Task<IResult> ExportAsync(HttpContext http, ProtectionApi api, bool csv)
    {
        var filters = Query(http.Request.Query);
        var rows = new List<IReadOnlyList<object?>>();
        for (var page = 1; ; page++)
        {
            var result = await api.CasesAsync($"?page={page}&pageSize={ApiPageSize}{filters}");
            if (result is not { Succeeded: true, Value: { } list })
            {
                return Results.StatusCode((int)result.Status);
            }

            if (list.Total > MaxRows)
            {
                return Results.Problem(
                    $"An export holds at most {MaxRows} cases; narrow it with the filters.",
                    statusCode: (int)HttpStatusCode.RequestEntityTooLarge);
            }

            rows.AddRange(list.Items.Select(Values));
            if (list.Items.Count < ApiPageSize || rows.Count >= list.Total)
            {
                break;
            }
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"cases.{(csv ? "csv" : "xlsx")}\"";
        var sheet = new Sheet("cases", Columns, rows);
        using var body = new MemoryStream();
        if (csv)
        {
            await SheetWriters.WriteCsvAsync(sheet, body);
        }
        else
        {
            await SheetWriters.WriteXlsxAsync(sheet, new Dictionary<string, Type>(), body);
        }

        return Results.File(
            body.ToArray(),
            csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    private static string Camel(string name) => string.Concat(char.ToLowerInvariant(name[0]), name[1..]);
}
