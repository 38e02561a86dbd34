using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Protection.Console.Api;

namespace Protection.Console;

/// <summary>
/// The auditor's downloads: <c>/audit/cases/{id}/export.jsonl</c> and <c>.csv</c> copy the API's export
/// (<c>GET /api/cases/{id}/export?format=</c>, with the auditor's own token) to the browser as it arrives,
/// never holding the whole body, named after the case's reference. A refusal is a page that says what to do.
/// </summary>
public static class AuditExport
{
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit/cases/{id:guid}/export.{format:regex(^(jsonl|csv)$)}", ExportAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = "auditor" })
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(
        Guid id,
        string format,
        HttpContext http,
        ProtectionApi api,
        IHttpClientFactory clients,
        IOptions<ConsoleOptions> options,
        CancellationToken cancellationToken)
    {
        // The file is named by the case's reference (the case file, personal data withheld from auditors).
        var file = await api.CaseReferenceAsync(id);
        if (file.NotFound)
        {
            return Results.LocalRedirect($"/audit/cases/{id}");
        }

        var client = clients.CreateClient(nameof(AuditExport));
        client.BaseAddress = options.Value.Api;
        client.Timeout = TimeSpan.FromMinutes(5);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/cases/{id}/export?format={format}");
        if (await http.GetTokenAsync("access_token") is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(
            request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return Results.LocalRedirect($"/audit/cases/{id}");
        }

        if (!response.IsSuccessStatusCode || file.Value is null)
        {
            return Results.LocalRedirect(await RefusedAsync(id, response, cancellationToken));
        }

        var reference = Safe(file.Value.Reference);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = response.Content.Headers.ContentType?.ToString()
            ?? (format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
        http.Response.Headers.ContentDisposition = $"attachment; filename={reference}-history.{format}";
        http.Response.Headers.CacheControl = "no-store";
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(http.Response.Body, cancellationToken);
        return Results.Empty;
    }

    /// <summary>The refusal page's address, naming the services the API said were missing (503).</summary>
    private static async Task<string> RefusedAsync(
        Guid id, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonNode>(ProtectionApi.Json, cancellationToken);
            if (problem?["missing"] is JsonArray parts)
            {
                missing.AddRange(parts
                    .Select(p => p?["service"]?.GetValue<string>())
                    .OfType<string>()
                    .Where(s => AuditApi.Services.Contains(s)));
            }
        }

        var query = string.Join("&", missing.Select(s => $"missing={Uri.EscapeDataString(s)}"));
        return $"/audit/cases/{id}/export-refused?status={(int)response.StatusCode}"
            + (query.Length > 0 ? "&" + query : string.Empty);
    }

    /// <summary>A reference is <c>PC-2026-000123</c>; anything else is left out of the header.</summary>
    private static string Safe(string reference)
    {
        var kept = new string(reference.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
        return kept.Length > 0 ? kept : "case";
    }
}
