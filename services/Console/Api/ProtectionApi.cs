using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace Protection.Console.Api;

/// <summary>An API answer: the value, or the status and the problem's errors by field name.</summary>
public sealed record ApiResult<T>(
    HttpStatusCode Status, T? Value, IReadOnlyDictionary<string, string[]> Errors, string? Title)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;

    public bool NotYours => Status == HttpStatusCode.Forbidden;

    public bool NotFound => Status == HttpStatusCode.NotFound;

    /// <summary>
    /// The messages for a field (the API names fields as JSON paths: <c>defender.fullName</c>,
    /// <c>threats[0].type</c>).
    /// </summary>
    public IReadOnlyList<string> For(string field) =>
        Errors
            .Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Value)
            .ToArray();

    /// <summary>Messages for fields the form does not show.</summary>
    public IEnumerable<string> Others(IReadOnlyCollection<string> shown) =>
        Errors.Where(e => !shown.Contains(e.Key, StringComparer.OrdinalIgnoreCase)).SelectMany(e => e.Value);
}

/// <summary>
/// The Protection API through the gateway, with the signed-in person's own access token: the
/// console has no rights of its own and no database; every rule is the API's.
/// </summary>
public sealed class ProtectionApi(HttpClient http, IHttpContextAccessor context)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task<ApiResult<CaseList>> CasesAsync(string query) => GetAsync<CaseList>($"api/cases{query}");

    public Task<ApiResult<CaseFileView>> CaseAsync(Guid id) => GetAsync<CaseFileView>($"api/cases/{id}");

    public Task<ApiResult<TriageView>> TriageAsync(Guid id) => GetAsync<TriageView>($"api/cases/{id}/triage");

    public Task<ApiResult<List<GrantSummary>>> GrantsAsync(Guid id) =>
        GetAsync<List<GrantSummary>>($"api/cases/{id}/grants");

    public Task<ApiResult<CaseRelocations>> RelocationsAsync(Guid id) =>
        GetAsync<CaseRelocations>($"api/cases/{id}/relocations");

    public Task<ApiResult<RelocationView>> RelocationAsync(Guid id) =>
        GetAsync<RelocationView>($"api/relocations/{id}");

    public Task<ApiResult<TriageQueue>> QueueAsync(string query) => GetAsync<TriageQueue>($"api/triage/queue{query}");

    public Task<ApiResult<Opened>> OpenCaseAsync(JsonObject body) =>
        SendAsync<Opened>(HttpMethod.Post, "api/cases", body);

    /// <summary>Referrals addressed to the reader's organisation with <paramref name="status"/>.</summary>
    public Task<ApiResult<List<IncomingReferral>>> ReferralsAsync(string status) =>
        GetAsync<List<IncomingReferral>>($"api/referrals?status={Uri.EscapeDataString(status)}");

    /// <summary>The organisation directory (every organisation's id, name and kind; no people).</summary>
    public Task<ApiResult<List<OrganisationEntry>>> OrganisationsAsync() =>
        GetAsync<List<OrganisationEntry>>("api/organisations");

    /// <summary>
    /// A command; with <paramref name="version"/> the request says <c>If-Match</c> the version the page showed,
    /// so a change made meanwhile by someone else is refused (409) instead of overwritten.
    /// </summary>
    public Task<ApiResult<JsonNode>> PostAsync(string path, JsonObject? body = null, long? version = null) =>
        SendAsync<JsonNode>(HttpMethod.Post, path, body ?? [], version);

    public Task<ApiResult<JsonNode>> PutAsync(string path, JsonObject body, long? version = null) =>
        SendAsync<JsonNode>(HttpMethod.Put, path, body, version);

    public Task<ApiResult<JsonNode>> DeleteAsync(string path) => SendAsync<JsonNode>(HttpMethod.Delete, path, null);

    /// <summary>A read of <paramref name="path"/> (relative to the gateway, e.g. <c>api/funds</c>).</summary>
    public async Task<ApiResult<T>> GetAsync<T>(string path) => await SendAsync<T>(HttpMethod.Get, path, null);

    private async Task<ApiResult<T>> SendAsync<T>(
        HttpMethod method, string path, JsonObject? body, long? version = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (version is { } expected)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{expected}\""));
        }

        var token = context.HttpContext is { } current ? await current.GetTokenAsync("access_token") : null;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            var value = response.Content.Headers.ContentLength == 0
                ? default
                : await response.Content.ReadFromJsonAsync<T>(Json);
            return new ApiResult<T>(response.StatusCode, value, new Dictionary<string, string[]>(), null);
        }

        var errors = new Dictionary<string, string[]>();
        string? title = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonNode>(Json);
            title = problem?["title"]?.GetValue<string>();
            if (problem?["errors"] is JsonObject fields)
            {
                foreach (var (field, messages) in fields)
                {
                    errors[field] = messages is JsonArray list
                        ? list.Select(m => m?.ToString() ?? string.Empty).ToArray()
                        : [messages?.ToString() ?? string.Empty];
                }
            }
        }

        return new ApiResult<T>(response.StatusCode, default, errors, title);
    }
}
