using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Http;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.ServiceDefaults.Audit;

// What each service answers on /audit/cases/{id}/…, and the gateway composes into one answer.
// Shared by both sides so that the wire shape is one definition.

/// <summary>
/// One event of a case, as an auditor reads it. No personal data: <see cref="Summary"/> is built from
/// non-identifying facts.
/// </summary>
/// <param name="At">When the event was committed to the service's store (the store's clock).</param>
/// <param name="Stream">
/// The stream (case, grant, relocation) the event belongs to; <see cref="StreamKind"/> says which.
/// </param>
/// <param name="Data">
/// Only in exports: the event's data with every sealed value replaced by <c>"[withheld]"</c> or
/// <c>"[erased]"</c>.
/// </param>
public sealed record HistoryEntry(
    DateTimeOffset At,
    string Service,
    Guid Stream,
    string StreamKind,
    long Version,
    long Sequence,
    string Type,
    string Actor,
    string Role,
    string? CorrelationId,
    string? CausationId,
    string Summary,
    string? Hash,
    JsonNode? Data = null);

/// <summary>
/// A page of a service's part of a case's history, and (on the first page) its part of the case view as of
/// <see cref="AsOf"/>. <see cref="Entries"/> comes last on the wire so that the gateway can merge the entries
/// as they arrive, having read everything else first.
/// </summary>
/// <param name="State">
/// Folded from the events up to <see cref="AsOf"/> (or all of them); null when the service did not know
/// the case then, and on every page but the first.
/// </param>
/// <param name="Next">The cursor of the last entry when more entries follow it; null on the last page.</param>
public sealed record ServiceHistory(
    string Service,
    Guid CaseId,
    DateTimeOffset? AsOf,
    JsonElement? State,
    string? Next,
    IReadOnlyList<HistoryEntry> Entries);

/// <summary>
/// Where a page of a history ends: the last entry's time, service and sequence, the order of the timeline.
/// Opaque to callers (base64url); stable, since entries are never changed or removed, only appended.
/// </summary>
public sealed record HistoryCursor(DateTimeOffset At, string Service, long Sequence)
{
    public static HistoryCursor Of(HistoryEntry entry) => new(entry.At, entry.Service, entry.Sequence);

    /// <summary>
    /// Whether an entry of <paramref name="service"/> at <paramref name="at"/> with <paramref name="sequence"/>
    /// comes after this cursor in the timeline's order (time, then service, then sequence).
    /// </summary>
    public bool Precedes(DateTimeOffset at, string service, long sequence) =>
        at != At
            ? at > At
            : string.CompareOrdinal(service, Service) is var byService && byService != 0
                ? byService > 0
                : sequence > Sequence;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Service}.{Sequence}")));

    public static bool TryDecode(string? text, [NotNullWhen(true)] out HistoryCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 200 || !Base64Url.IsValid(text))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('.');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || parts[1].Length == 0
            || !parts[1].All(char.IsAsciiLetterLower)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        cursor = new HistoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], sequence);
        return true;
    }
}

/// <summary>A page of a history: the entries after <see cref="After"/> (from the start when null), at most
/// <see cref="Limit"/>.</summary>
public sealed record HistoryPage(HistoryCursor? After, int Limit)
{
    public const int DefaultLimit = 200;

    /// <summary>The most a page holds: about 500 KB of entries, 1,000 in an export.</summary>
    public const int MaxLimit = 1_000;

    /// <summary>
    /// Reads <c>after</c> and <c>limit</c>; a bad value is a 400 naming the field (<paramref name="problem"/>).
    /// </summary>
    public static bool TryRead(
        string? after,
        string? limit,
        [NotNullWhen(true)] out HistoryPage? page,
        [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        var errors = new Dictionary<string, string[]>();
        HistoryCursor? cursor = null;
        if (after is not null && !HistoryCursor.TryDecode(after, out cursor))
        {
            errors["after"] = ["Use the next cursor of the page before, as the history gave it."];
        }

        var size = DefaultLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size)
                || size is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"Use a whole number from 1 to {MaxLimit} (the default is {DefaultLimit})."];
        }

        if (errors.Count > 0)
        {
            page = null;
            problem = TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The page of the history asked for is not one.",
            });
            return false;
        }

        page = new HistoryPage(cursor, size);
        problem = null;
        return true;
    }

    /// <summary>The query string that asks for this page (and the moment, when there is one).</summary>
    public string Query(DateTimeOffset? asOf, bool details = false)
    {
        var query = new List<string> { string.Create(CultureInfo.InvariantCulture, $"limit={Limit}") };
        if (After is { } after)
        {
            query.Add($"after={after.Encode()}");
        }

        if (asOf is { } moment)
        {
            query.Add($"asOf={Uri.EscapeDataString(moment.ToString("O", CultureInfo.InvariantCulture))}");
        }

        if (details)
        {
            query.Add("details=true");
        }

        return "?" + string.Join('&', query);
    }
}

/// <summary>The first event of a stream whose link or hash does not match.</summary>
public sealed record BrokenLink(long Version, string? Type, string Reason);

public sealed record StreamVerification(
    Guid Stream,
    string Kind,
    bool Intact,
    int EventsChecked,
    BrokenLink? FirstBroken);

public sealed record ServiceVerification(
    string Service,
    Guid CaseId,
    bool Intact,
    IReadOnlyList<StreamVerification> Streams);

/// <summary>One read of a case: who (user id and roles), when, what they read, and the answer they got.</summary>
public sealed record AccessEntry(
    DateTimeOffset At,
    string Service,
    string Reader,
    string Role,
    string What,
    int Status,
    string? CorrelationId);

public sealed record ServiceAccessLog(string Service, Guid CaseId, IReadOnlyList<AccessEntry> Entries);

/// <summary>Names of what a read was, as the access log records it.</summary>
public static class CaseReads
{
    public const string CaseFile = "case-file";
    public const string History = "history";
    public const string Export = "export";
    public const string Verification = "verification";
    public const string AccessLog = "access-log";
    public const string Triage = "triage";
    public const string Grants = "grants";
    public const string Grant = "grant";
    public const string Relocations = "relocations";
    public const string Relocation = "relocation";
}

/// <summary>What the services' audit endpoints and the gateway that composes them read and write alike.</summary>
public static class AuditWire
{
    /// <summary>The JSON of audit answers: the API's conventions (camelCase, enums as strings).</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>422 naming <c>asOf</c>.</summary>
    public static ProblemHttpResult BadMoment() => Problems.Unprocessable(
        new Dictionary<string, string[]>
        {
            ["asOf"] = ["Use an ISO 8601 moment with its offset, e.g. 2026-11-25T10:30:00Z."],
        },
        "The moment to travel to is not a timestamp.");

    /// <summary>Reads <c>asOf</c>: empty is "now"; anything else must be an ISO 8601 moment.</summary>
    public static bool TryReadMoment(string? text, out DateTimeOffset? moment)
    {
        moment = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var parsed))
        {
            moment = parsed;
            return true;
        }

        return false;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaultsExtensions.ConfigureJson(options);
        return options;
    }
}
