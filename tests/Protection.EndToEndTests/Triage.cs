using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>Triage requests and waits, in the words of the API.</summary>
internal static class Triage
{
    public static readonly TimeSpan Propagation = TimeSpan.FromSeconds(45);

    public static JsonObject Scores(
        int emotionalCognitive,
        int physical,
        int spiritual,
        int economic,
        int political) => new()
    {
        ["emotionalCognitive"] = emotionalCognitive,
        ["physical"] = physical,
        ["spiritual"] = spiritual,
        ["economic"] = economic,
        ["political"] = political,
    };

    /// <summary>
    /// Waits until triage has taken the case in (it learns of it from intake's CaseOpened), then returns its
    /// triage view.
    /// </summary>
    public static Task<JsonElement> WaitForTriageAsync(this HttpClient client, Guid id) =>
        client.WaitForAsync($"/api/cases/{id}/triage", _ => true, $"case {id} in triage");

    /// <summary>
    /// Polls <paramref name="path"/> until it answers 200 with a body that satisfies <paramref name="condition"/>.
    /// </summary>
    public static async Task<JsonElement> WaitForAsync(
        this HttpClient client,
        string path,
        Func<JsonElement, bool> condition,
        string what)
    {
        var found = await Eventually.Get(async () =>
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var body = await response.Json();
            return condition(body) ? new Box(body) : null;
        }, Propagation, what);
        return found.Value;
    }

    public static async Task<JsonElement> OkJson(this Task<HttpResponseMessage> request)
    {
        var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task ShouldBeProblem(
        this Task<HttpResponseMessage> request,
        HttpStatusCode status,
        string? field = null)
    {
        var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        if (field is not null)
        {
            JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _)
                .ShouldBeTrue($"expected an error for {field}: {text}");
        }
    }

    public static IEnumerable<JsonElement> Items(this JsonElement list) => list.GetProperty("items").EnumerateArray();

    private sealed record Box(JsonElement Value);
}
