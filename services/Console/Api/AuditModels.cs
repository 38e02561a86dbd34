using System.Globalization;
using System.Text.Json;
using Protection.ServiceDefaults.Audit;

namespace Protection.Console.Api;

// What the auditor's pages read from the API (composed by the gateway from the four services).
// Every shape here is free of personal data: the API withholds it from auditors, and the pages print
// only these fields.

/// <summary>A case found by its reference: <c>GET /api/cases/by-reference/{reference}</c>.</summary>
public sealed record FoundCase(Guid Id, string Reference);

/// <summary>A service whose part of an answer is missing, and why.</summary>
public sealed record AuditMissingPart(string Service, string Reason);

/// <summary>
/// <c>GET /api/cases/{id}/history?asOf=&amp;after=</c>: a page of the timeline, and on the first page each
/// service's part of the case view then (a JSON value per service, null when the service had not heard of the
/// case). <see cref="Next"/> asks for the later entries; null on the last page.
/// </summary>
public sealed record CaseHistoryView(
    Guid CaseId,
    DateTimeOffset? AsOf,
    bool Complete,
    IReadOnlyList<AuditMissingPart> Missing,
    IReadOnlyDictionary<string, JsonElement?> State,
    IReadOnlyList<HistoryEntry> Entries,
    string? Next = null)
{
    public T? StateOf<T>(string service)
        where T : class =>
        State.TryGetValue(service, out var value) && value is { ValueKind: JsonValueKind.Object } element
            ? element.Deserialize<T>(ProtectionApi.Json)
            : null;
}

/// <summary>Intake's part of the case view at a moment.</summary>
public sealed record IntakeStateView(
    string? Status, string? Stage, string? Risk, int Threats, int OpenGrants, int OpenRelocations,
    bool PersonalDataErased);

/// <summary>Triage's part of the case view at a moment.</summary>
public sealed record TriageStateView(
    string? Status, string? Risk, string? RiskBasis, DateTimeOffset? TriageDueAt, int OpenMeasures, int Measures,
    string? Outcome);

public sealed record GrantStateView(
    Guid GrantId, string Status, string Category, string Currency, decimal Requested, decimal? Approved,
    decimal Disbursed);

/// <summary>Emergency assistance's part: the case's grants as they stood.</summary>
public sealed record AssistanceStateView(int OpenGrants, IReadOnlyList<GrantStateView> Grants);

public sealed record RelocationStateView(
    Guid RelocationId, string State, string Kind, DateTimeOffset? NextCheckInDueAt, string? Outcome);

/// <summary>Relocation's part: the case's relocations as they stood.</summary>
public sealed record RelocationAuditStateView(int InProgress, IReadOnlyList<RelocationStateView> Relocations);

/// <summary>Where a chain first breaks.</summary>
public sealed record BrokenLinkView(
    string Service, Guid Stream, string Kind, long Version, string? Type, string Reason);

/// <summary><c>GET /api/cases/{id}/verify</c>: <c>intact</c>, <c>broken</c> or <c>incomplete</c>.</summary>
public sealed record CaseVerificationView(
    Guid CaseId,
    string Verdict,
    bool Intact,
    bool Complete,
    IReadOnlyList<AuditMissingPart> Missing,
    BrokenLinkView? FirstBroken,
    int EventsChecked);

/// <summary><c>GET /api/cases/{id}/access-log</c>: every read of the case, in every service.</summary>
public sealed record CaseAccessLogView(
    Guid CaseId, bool Complete, IReadOnlyList<AuditMissingPart> Missing, IReadOnlyList<AccessEntry> Entries);

/// <summary>Only the reference of a case file (an auditor reads it with personal data withheld).</summary>
public sealed record CaseReferenceView(Guid Id, string Reference);

/// <summary>The auditor's reads, through the gateway with the auditor's own token.</summary>
public static class AuditApi
{
    public static readonly string[] Services = ["intake", "triage", "assistance", "relocation"];

    /// <summary>The case a reference names, if the reader may know it (auditors and administrators use it).</summary>
    public static Task<ApiResult<FoundCase>> FindCaseAsync(this ProtectionApi api, string reference) =>
        api.GetAsync<FoundCase>($"api/cases/by-reference/{Uri.EscapeDataString(reference)}");

    public static Task<ApiResult<CaseReferenceView>> CaseReferenceAsync(this ProtectionApi api, Guid id) =>
        api.GetAsync<CaseReferenceView>($"api/cases/{id}");

    /// <summary>The page of the history after <paramref name="after"/> (a page's next), the first when null.</summary>
    public static Task<ApiResult<CaseHistoryView>> HistoryAsync(
        this ProtectionApi api, Guid id, DateTimeOffset? asOf, string? after = null)
    {
        var query = new List<string>();
        if (asOf is { } moment)
        {
            query.Add($"asOf={Uri.EscapeDataString(Moment(moment))}");
        }

        if (!string.IsNullOrEmpty(after))
        {
            query.Add($"after={Uri.EscapeDataString(after)}");
        }

        return api.GetAsync<CaseHistoryView>(
            $"api/cases/{id}/history" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty));
    }

    public static Task<ApiResult<CaseVerificationView>> VerifyAsync(this ProtectionApi api, Guid id) =>
        api.GetAsync<CaseVerificationView>($"api/cases/{id}/verify");

    public static Task<ApiResult<CaseAccessLogView>> AccessLogAsync(this ProtectionApi api, Guid id) =>
        api.GetAsync<CaseAccessLogView>($"api/cases/{id}/access-log");

    /// <summary>ISO 8601 in UTC, to the second: <c>2026-11-25T10:30:00Z</c>.</summary>
    public static string Moment(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The value of the page's <c>asOf</c>: a <c>datetime-local</c> value (no offset) is UTC, as the page says;
    /// one with an offset is taken as written. Empty is "now".
    /// </summary>
    public static bool TryReadMoment(string? text, out DateTimeOffset? moment)
    {
        moment = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(
            text.Trim(),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var parsed))
        {
            moment = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A moment as the timeline prints it: unambiguous, Gregorian, in UTC, to the second.</summary>
    public static string Utc(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The value a <c>datetime-local</c> control takes (UTC, to the second).</summary>
    public static string LocalControlValue(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary><c>partlyDisbursed</c> → <c>PartlyDisbursed</c>: the API's camelCase names as text keys.</summary>
    public static string Pascal(string value) =>
        value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}
