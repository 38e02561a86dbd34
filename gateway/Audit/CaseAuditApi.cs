using System.Globalization;
using System.Net;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Gateway.Audit;

/// <summary>
/// A page of one case's history across the services, ordered by commit time (then service, then sequence).
/// <see cref="State"/> is each service's part of the case view as of <see cref="AsOf"/> (now when null),
/// rebuilt from events, on the first page (empty on later ones). <see cref="Next"/> asks for the page after
/// this one (<c>?after=</c>); null on the last page.
/// </summary>
/// <remarks>The shape of the answer, which the gateway writes as it merges the services' pages.</remarks>
public sealed record CaseHistory(
    Guid CaseId,
    DateTimeOffset? AsOf,
    bool Complete,
    IReadOnlyList<MissingPart> Missing,
    IReadOnlyDictionary<string, JsonElement?> State,
    IReadOnlyList<HistoryEntry> Entries,
    string? Next);

/// <summary>Where a chain first breaks.</summary>
public sealed record BrokenAt(string Service, Guid Stream, string Kind, long Version, string? Type, string Reason);

/// <summary>
/// <see cref="Verdict"/>: <c>intact</c> (every chain of every service recomputed and matching),
/// <c>broken</c> (at least one link does not match; <see cref="FirstBroken"/> names the first found), or
/// <c>incomplete</c> (no broken link among the services that answered, but some did not).
/// </summary>
public sealed record CaseVerification(
    Guid CaseId,
    string Verdict,
    bool Intact,
    bool Complete,
    IReadOnlyList<MissingPart> Missing,
    BrokenAt? FirstBroken,
    int EventsChecked,
    IReadOnlyList<ServiceVerification> Services);

public sealed record CaseAccessLogView(
    Guid CaseId,
    bool Complete,
    IReadOnlyList<MissingPart> Missing,
    IReadOnlyList<AccessEntry> Entries);

public static class CaseAuditApi
{
    public static IEndpointRouteBuilder MapCaseAuditApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases/{id:guid}").WithTags("Audit").RequireRateLimiting("per-user");

        cases.MapGet("/history", History).RequireAuthorization(Policies.HistoryReader)
            .Produces<CaseHistory>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity)
            .WithName("CaseHistory")
            .WithSummary(
                "One timeline of the case from all four services, ordered by time, a page at a time "
                + "(?limit=, 200 by default, at most 1,000; the next page with ?after= the answer's next), and, "
                + "on the first page, the case view (stage, risk, grants, relocations) as of ?asOf=. "
                + "Names any service whose part is missing.");
        cases.MapGet("/verify", Verify).RequireAuthorization(Policies.Auditor)
            .WithName("VerifyCase")
            .WithSummary(
                "Recomputes every hash chain that holds the case in every service; names the first broken link.");
        cases.MapGet("/access-log", AccessLog).RequireAuthorization(Policies.Auditor)
            .WithName("CaseAccessLog")
            .WithSummary("Who read the case, when, with which roles, what they read, and the answer they got.");
        cases.MapGet("/export", Export).RequireAuthorization(Policies.Auditor)
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson", "text/csv")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithName("ExportCase")
            .WithSummary(
                "The full history with each event's data, as JSON lines (format=jsonl, default) or CSV (format=csv). "
                + "Personal data is never in it: sealed values read [withheld], or [erased] after erasure. "
                + "Refused (503) unless every service answers; written as it is read, a page at a time "
                + "(a service failing midway cuts the download short rather than leave events out).");
        return app;
    }

    private static async Task<IResult> History(
        Guid id,
        string? asOf,
        string? after,
        string? limit,
        HttpContext http,
        AuditFanOut fanOut,
        CancellationToken cancellationToken)
    {
        if (!AuditWire.TryReadMoment(asOf, out var moment))
        {
            return AuditWire.BadMoment();
        }

        if (!HistoryPage.TryRead(after, limit, out var page, out var badPage))
        {
            return badPage;
        }

        var parts = await fanOut.OpenAllAsync(
            http, $"/audit/cases/{id}/history{page.Query(moment)}", cancellationToken);
        await using var open = new OpenPages(parts);
        if (Refusal(parts) is { } refused)
        {
            return refused;
        }

        // Written as the services' entries arrive: the answer is never held whole, here or in the services.
        http.Response.ContentType = "application/json; charset=utf-8";
        // Into the response's pipe, whose writes are in memory: the network sees them at each FlushAsync.
        var body = http.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("caseId", id);
        if (moment is { } m)
        {
            json.WriteString("asOf", m);
        }
        else
        {
            json.WriteNull("asOf");
        }

        json.WriteBoolean("complete", parts.All(p => p.Ok));
        json.WritePropertyName("missing");
        JsonSerializer.Serialize(json, Missing(parts), AuditWire.Json);
        json.WriteStartObject("state");
        foreach (var part in page.After is null ? open.Answered : [])
        {
            json.WritePropertyName(part.Service);
            JsonSerializer.Serialize(json, part.Value!.State, AuditWire.Json);
        }

        json.WriteEndObject();
        json.WriteStartArray("entries");
        var sent = 0L;
        var next = await MergeAsync(open.Answered, page.Limit, async entry =>
        {
            JsonSerializer.Serialize(json, entry, AuditWire.Json);
            if (json.BytesCommitted - sent > 32 * 1024)
            {
                sent = json.BytesCommitted;
                await body.FlushAsync(cancellationToken);
            }
        }, cancellationToken);
        json.WriteEndArray();
        json.WriteString("next", next?.Encode());
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        await body.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary>
    /// Merges the services' pages (each in the timeline's order) into the timeline's order, handing
    /// <paramref name="write"/> at most <paramref name="limit"/> entries, one at a time; answers the cursor
    /// after the last one written when entries follow it, null when there are no more.
    /// </summary>
    private static async Task<HistoryCursor?> MergeAsync(
        IReadOnlyList<Part<ServicePageReader>> pages,
        int limit,
        Func<HistoryEntry, Task> write,
        CancellationToken cancellationToken)
    {
        var heads = new HistoryEntry?[pages.Count];
        for (var i = 0; i < pages.Count; i++)
        {
            heads[i] = await pages[i].Value!.NextEntryAsync(cancellationToken);
        }

        HistoryEntry? last = null;
        for (var written = 0; written < limit; written++)
        {
            var first = -1;
            for (var i = 0; i < heads.Length; i++)
            {
                if (heads[i] is { } head && (first < 0 || Earlier(head, heads[first]!)))
                {
                    first = i;
                }
            }

            if (first < 0)
            {
                break;
            }

            last = heads[first]!;
            await write(last);
            heads[first] = await pages[first].Value!.NextEntryAsync(cancellationToken);
        }

        // A service has more when it still holds entries of this page, or said it has more after its page.
        var more = heads.Where((head, i) => head is not null || pages[i].Value!.Next is not null).Any();
        return more && last is not null ? HistoryCursor.Of(last) : null;
    }

    private static bool Earlier(HistoryEntry entry, HistoryEntry than) =>
        HistoryCursor.Of(entry).Precedes(than.At, than.Service, than.Sequence);

    /// <summary>The parts of a fan-out whose pages are open, disposed of together.</summary>
    private sealed class OpenPages(Part<ServicePageReader>[] parts) : IAsyncDisposable
    {
        public IReadOnlyList<Part<ServicePageReader>> Answered { get; } = parts.Where(p => p.Ok).ToArray();

        public async ValueTask DisposeAsync()
        {
            foreach (var part in Answered)
            {
                await part.Value!.DisposeAsync();
            }
        }
    }

    private static async Task<Results<Ok<CaseVerification>, ProblemHttpResult>> Verify(
        Guid id, HttpContext http, AuditFanOut fanOut, CancellationToken cancellationToken)
    {
        var parts = await fanOut.GetAllAsync<ServiceVerification>(http, $"/audit/cases/{id}/verify", cancellationToken);
        if (Refusal(parts) is { } refused)
        {
            return refused;
        }

        var answered = parts.Where(p => p.Ok).Select(p => p.Value!).ToArray();
        var firstBroken = answered
            .SelectMany(s => s.Streams.Where(c => !c.Intact).Select(c => new BrokenAt(
                s.Service, c.Stream, c.Kind, c.FirstBroken!.Version, c.FirstBroken.Type, c.FirstBroken.Reason)))
            .FirstOrDefault();
        var complete = parts.All(p => p.Ok);
        var verdict = firstBroken is not null ? "broken" : complete ? "intact" : "incomplete";
        return TypedResults.Ok(new CaseVerification(
            id,
            verdict,
            verdict == "intact",
            complete,
            Missing(parts),
            firstBroken,
            answered.Sum(s => s.Streams.Sum(c => c.EventsChecked)),
            answered));
    }

    private static async Task<Results<Ok<CaseAccessLogView>, ProblemHttpResult>> AccessLog(
        Guid id, HttpContext http, AuditFanOut fanOut, CancellationToken cancellationToken)
    {
        var parts = await fanOut.GetAllAsync<ServiceAccessLog>(
            http, $"/audit/cases/{id}/access-log", cancellationToken);
        if (Refusal(parts) is { } refused)
        {
            return refused;
        }

        var entries = parts
            .Where(p => p.Ok)
            .SelectMany(p => p.Value!.Entries)
            .OrderBy(e => e.At)
            .ThenBy(e => e.Service, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(new CaseAccessLogView(id, parts.All(p => p.Ok), Missing(parts), entries));
    }

    private static async Task<IResult> Export(
        Guid id, string? format, HttpContext http, AuditFanOut fanOut, CancellationToken cancellationToken)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv
            && !string.IsNullOrEmpty(format)
            && !string.Equals(format, "jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Unprocessable(
                new Dictionary<string, string[]> { ["format"] = ["Use jsonl (JSON lines, the default) or csv."] },
                "Unknown export format.");
        }

        // Page after page, each written as it is merged: memory holds a page's worth, whatever the history's size.
        var page = new HistoryPage(null, HistoryPage.MaxLimit);
        var parts = await fanOut.OpenAllAsync(
            http, $"/audit/cases/{id}/history{page.Query(null, details: true)}", cancellationToken);
        var open = new OpenPages(parts);
        try
        {
            if (Refusal(parts) is { } refused)
            {
                return refused;
            }

            if (!parts.All(p => p.Ok))
            {
                // An export is evidence: a partial one would silently omit events, so there is none.
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The export needs every service's part; try again when they are back.",
                    extensions: new Dictionary<string, object?> { ["missing"] = Missing(parts) });
            }

            http.Response.Headers.ContentDisposition =
                $"attachment; filename=\"case-{id}.{(csv ? "csv" : "jsonl")}\"";
            http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
            await using var writer = new StreamWriter(http.Response.Body, leaveOpen: true);
            // OWASP CSV injection: a cell starting with = + - @ tab or CR is prefixed with ' so a
            // spreadsheet shows it as text instead of running it as a formula.
            await using var table = csv
                ? new CsvWriter(
                    writer,
                    new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape })
                : null;
            if (table is not null)
            {
                table.WriteHeader<ExportRow>();
                await table.NextRecordAsync();
            }

            while (true)
            {
                var next = await MergeAsync(
                    open.Answered,
                    page.Limit,
                    e => table is null ? WriteLineAsync(writer, e) : WriteRecordAsync(table, e),
                    cancellationToken);
                await open.DisposeAsync();
                if (next is null)
                {
                    break;
                }

                page = page with { After = next };
                parts = await fanOut.OpenAllAsync(
                    http,
                    $"/audit/cases/{id}/history{page.Query(null, details: true)}",
                    cancellationToken);
                open = new OpenPages(parts);
                if (!parts.All(p => p.Ok))
                {
                    // Half an export must not pass for a whole one: the download is cut, not completed.
                    http.Abort();
                    return TypedResults.Empty;
                }
            }

            return TypedResults.Empty;
        }
        finally
        {
            await open.DisposeAsync();
        }
    }

    private static Task WriteLineAsync(StreamWriter writer, HistoryEntry e) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(e, AuditWire.Json));

    private static async Task WriteRecordAsync(CsvWriter table, HistoryEntry e)
    {
        table.WriteRecord(new ExportRow(
            e.At.ToString("O", CultureInfo.InvariantCulture),
            e.Service,
            e.StreamKind,
            e.Stream,
            e.Version,
            e.Type,
            e.Actor,
            e.Role,
            e.CorrelationId,
            e.Summary,
            e.Hash,
            e.Data?.ToJsonString()));
        await table.NextRecordAsync();
    }

    /// <summary>A CSV line: the history entry, with the redacted event data as one JSON cell.</summary>
    private sealed record ExportRow(
        string At,
        string Service,
        string StreamKind,
        Guid Stream,
        long Version,
        string Type,
        string Actor,
        string Role,
        string? CorrelationId,
        string Summary,
        string? Hash,
        string? Data);

    /// <summary>
    /// The parts not in the answer, and why. A service that answered 404 although intake let the reader in
    /// reads the case's owner from its own copy, which may lag behind intake's (a transfer not yet heard
    /// of): its part is missing, with nothing of its refusal but that.
    /// </summary>
    private static MissingPart[] Missing<T>(IEnumerable<Part<T>> parts)
        where T : class =>
        parts.Where(p => !p.Ok).Select(p => new MissingPart(
                p.Service,
                p.Status == HttpStatusCode.NotFound
                    ? "answered 404: its copy of the case does not show it to you (it may not have caught up yet)"
                    : p.Failure ?? "no answer"))
            .ToArray();

    /// <summary>
    /// The case is intake's: unknown there (or another organisation's) is 404 for the whole answer, and so is
    /// a 404 from any other service while intake could not say (fail closed: another organisation's case is
    /// never confirmed, even in part). A refusal by any service is the caller's refusal.
    /// </summary>
    private static ProblemHttpResult? Refusal<T>(IReadOnlyList<Part<T>> parts)
        where T : class
    {
        if (parts.Any(p => p.Status == HttpStatusCode.Forbidden))
        {
            return Problems.Forbidden("Your role may not read this case's audit.");
        }

        if (parts.Any(p => p.Status == HttpStatusCode.UnprocessableEntity))
        {
            return AuditWire.BadMoment();
        }

        var intake = parts.FirstOrDefault(p => p.Service == "intake");
        return intake?.Status == HttpStatusCode.NotFound
            || (intake is not { Ok: true } && parts.Any(p => p.Status == HttpStatusCode.NotFound))
            ? Problems.NotFound("The case")
            : null;
    }
}
