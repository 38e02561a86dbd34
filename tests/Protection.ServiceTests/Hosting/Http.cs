using System.Net;
using System.Text;
using System.Text.Json;

namespace Protection.ServiceTests.Hosting;

/// <summary>Requests as a client sends them, and what the tests read of the answers.</summary>
public static class Http
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Sends <paramref name="body"/> (JSON text, as it goes over the wire) with an optional <c>If-Match</c>.
    /// </summary>
    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, string method, string path, string? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    /// <summary>Posts <paramref name="body"/> serialized as the API's JSON (camelCase members).</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(
        this HttpClient client, string path, object body, string? ifMatch = null) =>
        client.SendAsync("POST", path, JsonSerializer.Serialize(body, Json), ifMatch);

    /// <summary>The answer's JSON, after checking its status (the body is in the message when it is not).</summary>
    public static async Task<JsonElement> ShouldBe(this Task<HttpResponseMessage> request, HttpStatusCode status)
    {
        using var response = await request;
        return await response.ShouldBe(status);
    }

    public static async Task<JsonElement> ShouldBe(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// A problem-details answer of <paramref name="status"/>; with <paramref name="field"/>, its
    /// <c>errors</c> name that member as the JSON spells it.
    /// </summary>
    public static async Task<JsonElement> ShouldBeProblem(
        this Task<HttpResponseMessage> request, HttpStatusCode status, string? field = null)
    {
        using var response = await request;
        var problem = await response.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        if (field is not null)
        {
            problem.GetProperty("errors").TryGetProperty(field, out _)
                .ShouldBeTrue($"expected an error for {field}: {problem}");
        }

        return problem;
    }

    /// <summary>The version an answer's <c>ETag</c> carries (<c>"3"</c> → 3).</summary>
    public static long ETagVersion(this HttpResponseMessage response)
    {
        var tag = response.Headers.ETag.ShouldNotBeNull("the answer has no ETag").Tag;
        return long.Parse(tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IEnumerable<JsonElement> Items(this JsonElement list) => list.GetProperty("items").EnumerateArray();

    public static string? Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
