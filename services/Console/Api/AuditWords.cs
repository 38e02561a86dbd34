using Microsoft.Extensions.Localization;
using Protection.Console.Resources;

namespace Protection.Console.Api;

/// <summary>
/// The auditor's pages put the API's names into words: a known name by its text, an unknown one as the API
/// wrote it (an event type added later still shows, by its stored name).
/// </summary>
public static class AuditWords
{
    public static string Service(IStringLocalizer<Text> l, string service) =>
        Word(l, $"Audit.Service.{service}", service);

    public static string Event(IStringLocalizer<Text> l, string type) => Word(l, $"Audit.Event.{type}", type);

    public static string Stream(IStringLocalizer<Text> l, string kind) => Word(l, $"Audit.Stream.{kind}", kind);

    public static string Read(IStringLocalizer<Text> l, string what) => Word(l, $"Audit.Read.{what}", what);

    /// <summary>A camelCase value of the API under <paramref name="prefix"/> (<c>Risk</c>, <c>Stage</c>, …).</summary>
    public static string Value(IStringLocalizer<Text> l, string prefix, string? value) =>
        value is null or "" ? "—" : Word(l, $"{prefix}.{AuditApi.Pascal(value)}", value);

    /// <summary>The services that did not answer, by name: "Triage and Relocation".</summary>
    public static string Services(IStringLocalizer<Text> l, IEnumerable<AuditMissingPart> missing)
    {
        var names = missing.Select(m => Service(l, m.Service)).Distinct().ToArray();
        return names.Length <= 1
            ? names.FirstOrDefault() ?? string.Empty
            : string.Join(", ", names[..^1]) + l["Audit.And"].Value + names[^1];
    }

    /// <summary>An access-log answer in words, with its status code.</summary>
    public static string Answer(IStringLocalizer<Text> l, int status) =>
        l[status switch
        {
            >= 200 and < 300 => "Audit.Answer.Given",
            404 => "Audit.Answer.NotFound",
            401 or 403 or 409 or 422 => "Audit.Answer.Refused",
            _ => "Audit.Answer.Failed",
        }, status].Value;

    private static string Word(IStringLocalizer<Text> l, string key, string fallback) =>
        l[key] is { ResourceNotFound: false } text ? text.Value : fallback;
}
