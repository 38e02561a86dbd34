using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Protection.EndToEndTests;

/// <summary>One answer of the gateway to a request for the API.</summary>
public sealed record Exchange(HttpMethod Method, string Path, HttpStatusCode Status, string? MediaType, string Body);

/// <summary>
/// Sits in the HttpClients the tests call the gateway with and keeps every answer to <c>/api/…</c> and
/// <c>/auth/…</c>, so that each can be checked against the published OpenAPI documents.
/// </summary>
public sealed class ContractRecorder
{
    private readonly ConcurrentQueue<Exchange> _exchanges = new();

    public IReadOnlyCollection<Exchange> Exchanges => _exchanges;

    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Recording(this) { InnerHandler = inner };

    /// <summary>
    /// Answers no operation gives: the HTTP server refuses a NUL in the path (an empty 400) and headers
    /// over its limit (431) before routing, and resolves dot segments (<c>/api/cases/../grants</c>) to
    /// another operation than the template the path seems to match.
    /// </summary>
    private static bool RefusedBeforeRouting(string path, HttpStatusCode status) =>
        status == HttpStatusCode.RequestHeaderFieldsTooLarge
        || path.Contains("%00", StringComparison.Ordinal)
        || path.Contains("/..", StringComparison.Ordinal)
        || path.Contains("%2e%2e", StringComparison.OrdinalIgnoreCase);

    private sealed class Recording(ContractRecorder recorder) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            if ((path.StartsWith("/api/", StringComparison.Ordinal)
                    || path.StartsWith("/auth/", StringComparison.Ordinal))
                && !RefusedBeforeRouting(path, response.StatusCode))
            {
                // Buffered so that the test still reads the body after it was kept here.
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                recorder._exchanges.Enqueue(new Exchange(
                    request.Method, path, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
            }

            return response;
        }
    }
}

/// <summary>
/// The published OpenAPI documents of a running system (read through the gateway, as a client reads
/// them), and the check of an answer against them: the status is listed for the operation, the media
/// type is listed for that status, and a JSON body is valid against its schema (JSON Schema 2020-12,
/// which OpenAPI 3.1 schemas are; <c>#/components/schemas/…</c> resolve within their document).
/// </summary>
public sealed class ApiContract
{
    public static readonly string[] Documents = ["identity", "intake", "triage", "assistance", "relocation", "v1"];

    private readonly List<Operation> _operations = [];
    private readonly ConcurrentDictionary<(Operation, string, string), JsonSchema> _schemas = new();

    public IReadOnlyDictionary<string, JsonObject> ByName { get; private init; } = new Dictionary<string, JsonObject>();

    /// <summary>Every published operation: its document, method (upper case) and path template.</summary>
    public IEnumerable<(string Document, string Method, string Template)> Operations =>
        _operations.Select(o => (o.DocumentName, o.Method, o.Template));

    public static async Task<ApiContract> LoadAsync(HttpClient gateway)
    {
        var documents = new Dictionary<string, JsonObject>();
        foreach (var name in Documents)
        {
            documents[name] = (await gateway.GetFromJsonAsync<JsonObject>($"/openapi/{name}.json"))!;
        }

        var contract = new ApiContract { ByName = documents };
        foreach (var (name, document) in documents)
        {
            foreach (var (template, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    contract._operations.Add(new Operation(
                        name, document, method.ToUpperInvariant(), template, Pattern(template), operation!.AsObject()));
                }
            }
        }

        return contract;
    }

    /// <summary>What is wrong with <paramref name="exchange"/> by the documents; empty when nothing is.</summary>
    public IEnumerable<string> Violations(Exchange exchange)
    {
        var what = $"{exchange.Method} {exchange.Path} → {(int)exchange.Status}";
        var candidates = _operations
            .Where(o => o.Method == exchange.Method.Method && o.Pattern.IsMatch(exchange.Path))
            .OrderBy(o => o.Template.Count(c => c == '{'))
            .ToArray();
        if (candidates.Length == 0)
        {
            yield return $"{what}: no published document describes this operation";
            yield break;
        }

        var operation = candidates[0];
        var responses = operation.Definition["responses"]!.AsObject();
        var status = ((int)exchange.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if ((responses[status] ?? responses["default"]) is not { } response)
        {
            yield return $"{what}: {operation} lists only {string.Join(", ", responses.Select(r => r.Key))}";
            yield break;
        }

        var content = response["content"]?.AsObject();
        if (exchange.Body.Length == 0)
        {
            if (content is { Count: > 0 })
            {
                var described = string.Join(", ", content.Select(c => c.Key));
                yield return $"{what}: empty body, but {operation} describes {described}";
            }

            yield break;
        }

        if (exchange.MediaType is not { } mediaType || content?[mediaType] is not { } media)
        {
            yield return $"{what}: a {exchange.MediaType ?? "typeless"} body, not listed for {status} of {operation}";
            yield break;
        }

        if (!IsJson(mediaType) || media["schema"] is not JsonObject schema)
        {
            yield break;
        }

        var validator = _schemas.GetOrAdd((operation, status, mediaType), _ => Build(operation.Document, schema));
        var result = validator.Evaluate(
            JsonDocument.Parse(exchange.Body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")
                .Take(5);
            var against = $"{operation} {status} {mediaType}";
            yield return $"{what}: body not valid against {against}: {string.Join(" | ", errors)}";
        }
    }

    private static bool IsJson(string mediaType) =>
        mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    /// <summary>The response's schema, with the document's components beside it so its references resolve.</summary>
    private static JsonSchema Build(JsonObject document, JsonObject schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"urn:uuid:{Guid.NewGuid()}",
            ["allOf"] = new JsonArray(schema.DeepClone()),
            ["components"] = document["components"]?.DeepClone() ?? new JsonObject(),
        };
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    /// <summary><c>/api/cases/{id}/triage</c> → <c>^/api/cases/[^/]+/triage/?$</c>.</summary>
    private static Regex Pattern(string template)
    {
        var escaped = Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal);
        return new Regex("^" + Regex.Replace(escaped, "{[^}]+}", "[^/]+").TrimEnd('/') + "/?$");
    }

    private sealed record Operation(
        string DocumentName, JsonObject Document, string Method, string Template, Regex Pattern, JsonObject Definition)
    {
        public override string ToString() => $"{Method} {Template} ({DocumentName}.json)";
    }
}
