using System.Globalization;
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

/// <summary>A service's part of a case's history, and its part of the case view as of <see cref="AsOf"/>.</summary>
/// <param name="State">
/// Folded from the events up to <see cref="AsOf"/> (or all of them); null when the service did not know
/// the case then.
/// </param>
public sealed record ServiceHistory(
    string Service,
    Guid CaseId,
    DateTimeOffset? AsOf,
    IReadOnlyList<HistoryEntry> Entries,
    JsonElement? State);

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
