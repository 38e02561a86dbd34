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
/// One case's history across the services, ordered by commit time.
/// <see cref="State"/> is each service's part of the case view as of <see cref="AsOf"/> (now when null),
/// rebuilt from events.
/// </summary>
public sealed record CaseHistory(
    Guid CaseId,
    DateTimeOffset? AsOf,
    bool Complete,
    IReadOnlyList<MissingPart> Missing,
    IReadOnlyDictionary<string, JsonElement?> State,
    IReadOnlyList<HistoryEntry> Entries);

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
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .WithName("CaseHistory")
            .WithSummary(
                "One timeline of the case from all four services, ordered by time, and the case view "
                + "(stage, risk, grants, relocations) as of ?asOf=. Names any service whose part is missing.");
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
                + "Refused (503) unless every service answers.");
        return app;
    }

    private static async Task<Results<Ok<CaseHistory>, ProblemHttpResult>> History(
        Guid id, string? asOf, HttpContext http, AuditFanOut fanOut, CancellationToken cancellationToken)
    {
        if (!AuditWire.TryReadMoment(asOf, out var moment))
        {
            return AuditWire.BadMoment();
        }

        var query = moment is { } m
            ? $"?asOf={Uri.EscapeDataString(m.ToString("O", CultureInfo.InvariantCulture))}"
            : string.Empty;
        var parts = await fanOut.GetAllAsync<ServiceHistory>(
            http, $"/audit/cases/{id}/history{query}", cancellationToken);
        if (Refusal(parts) is { } refused)
        {
            return refused;
        }

        var answered = parts.Where(p => p.Ok).Select(p => p.Value!).ToArray();
        return TypedResults.Ok(new CaseHistory(
            id,
            moment,
            parts.All(p => p.Ok),
            Missing(parts),
            answered.ToDictionary(p => p.Service, p => p.State),
            Merge(answered)));
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

        var parts = await fanOut.GetAllAsync<ServiceHistory>(
            http, $"/audit/cases/{id}/history?details=true", cancellationToken);
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

        var entries = Merge(parts.Select(p => p.Value!).ToArray());
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"case-{id}.{(csv ? "csv" : "jsonl")}\"";
        if (csv)
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            await using var writer = new StreamWriter(http.Response.Body, leaveOpen: true);
            // OWASP CSV injection: a cell starting with = + - @ tab or CR is prefixed with ' so a
            // spreadsheet shows it as text instead of running it as a formula.
            await using var table = new CsvWriter(
                writer,
                new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
            table.WriteHeader<ExportRow>();
            await table.NextRecordAsync();
            foreach (var e in entries)
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
        }
        else
        {
            http.Response.ContentType = "application/x-ndjson; charset=utf-8";
            await using var writer = new StreamWriter(http.Response.Body, leaveOpen: true);
            foreach (var e in entries)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(e, AuditWire.Json));
            }
        }

        return TypedResults.Empty;
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

    /// <summary>All entries in commit order; ties (one transaction) keep each service's own order.</summary>
    private static HistoryEntry[] Merge(IEnumerable<ServiceHistory> parts) =>
        parts
            .SelectMany(p => p.Entries)
            .OrderBy(e => e.At)
            .ThenBy(e => e.Service, StringComparer.Ordinal)
            .ThenBy(e => e.Sequence)
            .ToArray();

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
