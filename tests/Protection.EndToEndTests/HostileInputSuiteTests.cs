using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// Every route of the API, table-driven, against what a careless or hostile client sends: bodies too
/// large, too deep, badly encoded, with unknown, repeated or mistyped members, impossible numbers,
/// enums and dates; odd headers; traversing, encoded and overlong ids. Whatever is sent, the answer
/// is a 4xx problem+json (never a 5xx) that names the member at fault, echoes nothing sent, and
/// nothing is stored. Kept to one system and a few hundred requests so that it runs in CI.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileInputSuiteTests(ProtectionSystem system)
{
    /// <summary>Sent inside hostile values: no problem may quote it back.</summary>
    private const string Marker = "Zq7hostile";

    [Fact]
    public async Task Hostile_bodies_on_every_route_are_refused_with_problems_naming_the_member_and_nothing_is_stored()
    {
        var targets = await TargetsAsync();
        var before = await targets.FingerprintAsync();
        var failures = new List<string>();

        foreach (var route in targets.BodyRoutes)
        {
            foreach (var (what, body, member) in HostileBodies(route))
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                var response = await targets.Client.PostAsync(route.Path, content);
                await CheckRefusalAsync(failures, $"{route.Path} {what}", response, member);
            }
        }

        failures.ShouldBeEmpty();
        (await targets.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Hostile_headers_and_encodings_on_every_route_are_refused_with_problems()
    {
        var targets = await TargetsAsync();
        var before = await targets.FingerprintAsync();
        var failures = new List<string>();
        var unknown = Encoding.UTF8.GetBytes($"{{\"{Marker}\":1}}");

        foreach (var route in targets.BodyRoutes)
        {
            var first = route.TopLevelStringMember ?? route.Body.First().Key;
            // Bytes that are not UTF-8 (a lone continuation byte, an overlong '/') inside a string.
            var invalidUtf8 = Encoding.UTF8.GetBytes($"{{\"{first}\":\"a").Concat(new byte[] { 0xC3, 0x28, 0xC0, 0xAF })
                .Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
            var cases = new (string What, byte[] Body, string? MediaType, string? CharSet, string? Member)[]
            {
                ("text/plain", unknown, "text/plain", null, null),
                ("no content type", unknown, null, null, null),
                ("form", Encoding.UTF8.GetBytes($"{Marker}=1"), "application/x-www-form-urlencoded", null, null),
                ("utf-16 declared, utf-8 sent", unknown, "application/json", "utf-16", null),
                ("utf-16", Encoding.Unicode.GetBytes($"{{\"{Marker}\":1}}"), "application/json", "utf-16", Marker),
                ("unknown charset", unknown, "application/json", "x-hostile-7", null),
                ("invalid utf-8", invalidUtf8, "application/json", "utf-8", first),
                ("empty body", [], "application/json", null, "body"),
                ("null body", Encoding.UTF8.GetBytes("null"), "application/json", null, "body"),
                ("array body", Encoding.UTF8.GetBytes("[]"), "application/json", null, "body"),
                ("BOM then unknown member", [0xEF, 0xBB, 0xBF, .. unknown], "application/json", null, Marker),
            };
            foreach (var (what, body, mediaType, charSet, member) in cases)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType =
                    mediaType is null ? null : new MediaTypeHeaderValue(mediaType) { CharSet = charSet };
                var response = await targets.Client.PostAsync(route.Path, content);
                await CheckRefusalAsync(failures, $"{route.Path} {what}", response, member);
            }

            // A refusal is problem+json whatever the client says it accepts.
            using var html = new HttpRequestMessage(HttpMethod.Post, route.Path) { Content = JsonBytes(unknown) };
            html.Headers.Accept.ParseAdd("text/html");
            await CheckRefusalAsync(
                failures, $"{route.Path} Accept: text/html", await targets.Client.SendAsync(html), Marker);
        }

        // Headers larger than the server reads at all are refused (431) before any middleware: 4xx, never a 5xx.
        using var huge = new HttpRequestMessage(HttpMethod.Get, "/api/cases");
        huge.Headers.TryAddWithoutValidation("X-Hostile", new string('h', 64 * 1024)).ShouldBeTrue();
        ((int)(await targets.Client.SendAsync(huge)).StatusCode).ShouldBeInRange(400, 499);

        // A version that is no version in If-Match is ignored or refused, never a 5xx.
        foreach (var route in targets.BodyRoutes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, route.Path) { Content = JsonBytes(unknown) };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{Marker}\", W/\"99999999999999999999999\"");
            await CheckRefusalAsync(
                failures, $"{route.Path} If-Match", await targets.Client.SendAsync(request), Marker);
        }

        failures.ShouldBeEmpty();
        (await targets.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Traversing_encoded_and_overlong_ids_on_every_route_are_4xx_problems()
    {
        var targets = await TargetsAsync();
        var before = await targets.FingerprintAsync();
        var failures = new List<string>();
        string[] ids =
        [
            "..%2F..%2Fapi%2Fadmin%2Fusers", "%2e%2e", "..", "%00", "%C0%AE%C0%AE", "%E0%80%AF", "%FF%FE",
            $"{Guid.NewGuid()}%20", $"{Guid.NewGuid()}%00", "'%20OR%201=1--", new string('1', 4000),
            Guid.Empty.ToString(), Guid.NewGuid().ToString(), "%7B" + Guid.NewGuid() + "%7D",
        ];

        foreach (var (method, template) in targets.IdRoutes)
        {
            foreach (var id in ids)
            {
                var path = template.Replace("{id}", id, StringComparison.Ordinal);
                using var request = new HttpRequestMessage(
                    new HttpMethod(method), RawUri(targets.Client.BaseAddress!, path));
                if (method == "POST")
                {
                    request.Content = JsonBytes("{}"u8.ToArray());
                }

                var response = await targets.Client.SendAsync(request);
                var what = $"{method} {path[..Math.Min(path.Length, 120)]}";
                if (id.Contains("%00", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.BadRequest
                    && response.Content.Headers.ContentLength == 0)
                {
                    continue; // Kestrel refuses a NUL in the path itself, before any middleware: an empty 400.
                }

                if (id is ".." or "%2e%2e" && method == "GET" && (int)response.StatusCode < 500)
                {
                    // The dot segment is resolved (/api/cases/../grants is /api/grants): another route answers.
                    continue;
                }

                await CheckRefusalAsync(failures, what, response, null);
            }
        }

        failures.ShouldBeEmpty();
        (await targets.FingerprintAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Every_route_refuses_a_body_over_its_own_limit_with_a_413_that_says_the_limit()
    {
        var targets = await TargetsAsync();
        var failures = new List<string>();

        foreach (var route in targets.BodyRoutes)
        {
            // Under the route's limit a hostile body reaches the JSON reader (400); over it, 413 before it is read.
            var under = PaddedBody(route.Limit - 64);
            var response = await targets.Client.PostAsync(route.Path, JsonBytes(under));
            await CheckRefusalAsync(failures, $"{route.Path} just under {route.Limit}", response, Marker);

            var over = await targets.Client.PostAsync(route.Path, JsonBytes(PaddedBody(route.Limit + 1)));
            var text = await over.Content.ReadAsStringAsync();
            if (over.StatusCode != HttpStatusCode.RequestEntityTooLarge
                || over.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !text.Contains($"{route.Limit / 1024} KB", StringComparison.Ordinal))
            {
                failures.Add($"{route.Path} over {route.Limit}: {(int)over.StatusCode} {text}");
            }
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Problems_carry_the_correlation_id_name_members_as_the_json_does_and_never_quote_malformed_json()
    {
        var targets = await TargetsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = JsonBytes("{}"u8.ToArray()),
        };
        request.Headers.Add("X-Correlation-Id", "hostile-suite-7");
        var missing = await targets.Client.SendAsync(request);
        var problem = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!;

        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        problem["correlationId"]!.GetValue<string>().ShouldBe("hostile-suite-7");
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["defender", "consent", "threats"], ignoreOrder: true);
        errors["defender"]![0]!.GetValue<string>().ShouldContain("defender");
        errors.ToJsonString().ShouldNotContain("Defender", Shouldly.Case.Sensitive);

        var nested = Cases.OpenCaseBody(Cases.Defender.Unique());
        nested["defender"]!.AsObject().Remove("fullName");
        var named = await targets.Client.PostAsJsonAsync("/api/cases", nested);
        var nestedErrors = JsonNode.Parse(await named.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        nestedErrors.Select(e => e.Key).ShouldBe(["defender.fullName"]);
        nestedErrors["defender.fullName"]![0]!.GetValue<string>().ShouldContain("fullName");
        nestedErrors["defender.fullName"]![0]!.GetValue<string>().ShouldNotContain("FullName", Shouldly.Case.Sensitive);

        // An unsafe correlation id is replaced; the problem carries the replacement the response header carries.
        using var unsafeId = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = JsonBytes("{}"u8.ToArray()),
        };
        unsafeId.Headers.TryAddWithoutValidation("X-Correlation-Id", "=bad id").ShouldBeTrue();
        var replaced = await targets.Client.SendAsync(unsafeId);
        var replacedProblem = JsonNode.Parse(await replaced.Content.ReadAsStringAsync())!;
        replacedProblem["correlationId"]!.GetValue<string>()
            .ShouldBe(replaced.Headers.GetValues("X-Correlation-Id").Single());

        foreach (var malformed in new[]
        {
            $"{{\"defender\": {Marker}}}", $"{{\"defender\": tru{Marker}", $"{{{Marker}", $"\"{Marker}",
        })
        {
            var response = await targets.Client.PostAsync("/api/cases", JsonBytes(Encoding.UTF8.GetBytes(malformed)));
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
            text.ShouldNotContain(Marker[..2]);
            text.ShouldNotContain("'t'");
        }
    }

    [Fact]
    public async Task Dates_at_the_ends_of_the_calendar_are_never_a_500()
    {
        // Whether 0001-01-01 or 9999-12-31 is a sensible date is the rules' business (date bounds);
        // here only that no such date breaks the service. Sent on a case of its own, which may change.
        var targets = await TargetsAsync();
        var failures = new List<string>();
        foreach (var route in targets.BodyRoutes.Where(r => r.Dates.Length > 0))
        {
            foreach (var date in new[] { "0001-01-01", "9999-12-31", "1900-02-29", "2000-02-29" })
            {
                foreach (var member in route.Dates)
                {
                    var body = JsonNode.Parse(route.Body.ToJsonString())!.AsObject();
                    Set(body, member, JsonValue.Create(date));
                    var response = await targets.Client.PostAsync(
                        route.Path, JsonBytes(Encoding.UTF8.GetBytes(body.ToJsonString())));
                    if ((int)response.StatusCode >= 500
                        || ((int)response.StatusCode >= 400
                            && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                    {
                        failures.Add(
                            $"{route.Path} {member}={date}: {(int)response.StatusCode} " +
                            await response.Content.ReadAsStringAsync());
                    }
                }
            }
        }

        failures.ShouldBeEmpty();
    }

    /// <summary>
    /// The hostile bodies for one route: each with the member its problem must name (null: any 4xx problem).
    /// </summary>
    private static IEnumerable<(string What, byte[] Body, string? Member)> HostileBodies(BodyRoute route)
    {
        static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);
        string Variant(string member, JsonNode? value)
        {
            var body = JsonNode.Parse(route.Body.ToJsonString())!.AsObject();
            Set(body, member, value);
            return body.ToJsonString();
        }

        // Raw JSON text for a member (NaN, overlong numbers): written by hand, as no serializer would.
        string Raw(string member, string raw) =>
            Variant(member, JsonValue.Create(Marker)).Replace($"\"{Marker}\"", raw, StringComparison.Ordinal);

        var withUnknown = route.Body.ToJsonString()[..^1] + (route.Body.Count > 0 ? "," : string.Empty) +
            $"\"{Marker}\":true}}";
        yield return ("unknown member", Bytes(withUnknown), Marker);

        var first = route.Body.First();
        var firstJson = first.Value?.ToJsonString() ?? "null";
        yield return (
            "repeated member",
            Bytes($"{{\"{first.Key}\":{firstJson},\"{first.Key}\":{firstJson}}}"),
            first.Key);
        yield return (
            "deep nesting",
            Bytes($"{{\"{first.Key}\":{new string('[', 5000)}{new string(']', 5000)}}}"),
            first.Key);

        foreach (var (member, value) in Leaves(route.Body))
        {
            JsonNode wrong = value switch
            {
                JsonArray => new JsonObject(),
                JsonObject => new JsonArray(),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(12345),
                JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False =>
                    JsonValue.Create("true"),
                _ => JsonValue.Create(Marker),
            };
            yield return ($"{member} of the wrong type", Bytes(Variant(member, wrong)), member);
            yield return ($"{member} an object", Bytes(Variant(member, new JsonObject { ["x"] = 1 })), member);

            if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
            {
                foreach (var raw in new[]
                {
                    "1e308", "-1e308", "1e-400", "123456789012345678901234567890123", "NaN", "Infinity",
                })
                {
                    yield return ($"{member}={raw}", Bytes(Raw(member, raw)), member);
                }

                foreach (var text in new[] { "NaN", "Infinity", "-Infinity", "1e308" })
                {
                    yield return ($"{member}=\"{text}\"", Bytes(Variant(member, JsonValue.Create(text))), member);
                }

                yield return (
                    $"{member}=0.5 (a fraction)",
                    Bytes(Raw(member, route.Money.Contains(member) ? "10.001" : "0.5")),
                    member);
            }

            if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String)
            {
                yield return (
                    $"{member} with NUL", Bytes(Variant(member, JsonValue.Create($"a\u0000{Marker}"))), member);
                yield return ($"{member} with a lone surrogate", Bytes(Raw(member, "\"a\\ud800b\"")), member);
                yield return (
                    $"{member} of 100 000 characters",
                    Bytes(Variant(member, JsonValue.Create(new string('a', 100_000)))),
                    member);
            }
        }

        foreach (var member in route.Enums)
        {
            foreach (var raw in new[] { $"\"{Marker}\"", "1", "\"\"", "\" approve\"", "\"0\"" })
            {
                yield return ($"enum {member}={raw}", Bytes(Raw(member, raw)), member);
            }
        }

        foreach (var member in route.Dates)
        {
            foreach (var raw in new[]
            {
                "\"2026-02-30\"", "\"2026-13-01\"", $"\"{Marker}\"", "20260101", "\"\"", "\"2026-01-01T25:00\"",
            })
            {
                yield return ($"date {member}={raw}", Bytes(Raw(member, raw)), member);
            }
        }
    }

    /// <summary>Every value of a body with its path as the API names it (<c>threats[0].type</c>).</summary>
    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonObject body, string prefix = "")
    {
        foreach (var (key, value) in body)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            yield return (path, value);
            if (value is JsonObject inner)
            {
                foreach (var leaf in Leaves(inner, path))
                {
                    yield return leaf;
                }
            }
            else if (value is JsonArray { Count: > 0 } array && array[0] is JsonObject item)
            {
                foreach (var leaf in Leaves(item, $"{path}[0]"))
                {
                    yield return leaf;
                }
            }
        }
    }

    /// <summary>
    /// Sets the member at <paramref name="path"/> (<c>threats[0].type</c>) of <paramref name="body"/>.
    /// </summary>
    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = body;
        foreach (var part in parts[..^1])
        {
            node = part.EndsWith("[0]", StringComparison.Ordinal) ? node[part[..^3]]![0]! : node[part]!;
        }

        var last = parts[^1];
        if (last.EndsWith("[0]", StringComparison.Ordinal))
        {
            node[last[..^3]]![0] = value;
        }
        else
        {
            node[last] = value;
        }
    }

    private static async Task CheckRefusalAsync(
        List<string> failures,
        string what,
        HttpResponseMessage response,
        string? member)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var shown = text.Length > 300 ? text[..300] : text;
        if (status is < 400 or > 499)
        {
            failures.Add($"{what}: {status} {shown}");
            return;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{what}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "nothing"} {shown}");
            return;
        }

        if (text.Contains(Marker[..3], StringComparison.Ordinal) && member != Marker)
        {
            failures.Add($"{what}: the problem quotes what was sent: {shown}");
        }

        if (member is not null && status is 400 or 422)
        {
            var errors = JsonNode.Parse(text)?["errors"] as JsonObject;
            var named = errors?.Any(e => e.Key == member || e.Key.StartsWith(member + ".", StringComparison.Ordinal)
                || e.Key.StartsWith(member + "[", StringComparison.Ordinal)) == true;
            if (!named)
            {
                failures.Add($"{what}: {status} does not name {member}: {shown}");
            }
        }
    }

    private static ByteArrayContent JsonBytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] PaddedBody(long size)
    {
        var prefix = $"{{\"{Marker}\":\"";
        var padding = (int)size - prefix.Length - 2;
        return Encoding.UTF8.GetBytes(prefix + new string('x', padding) + "\"}");
    }

    /// <summary>A URI whose path is sent exactly as written: no dot segments removed, no escapes undone.</summary>
    private static Uri RawUri(Uri baseAddress, string path) =>
        new(
            baseAddress.GetLeftPart(UriPartial.Authority) + path,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    /// <summary>
    /// A route that takes a JSON body: where, a body it would accept, and which members are enums, dates, money.
    /// </summary>
    private sealed record BodyRoute(
        string Path,
        JsonObject Body,
        long Limit,
        string[] Enums,
        string[] Dates,
        string[] Money)
    {
        public string? TopLevelStringMember => Body
            .Where(m => m.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            .Select(m => m.Key).FirstOrDefault(k => !Enums.Contains(k) && !Dates.Contains(k));
    }

    private const long Small = 4 * 1024;
    private const long Text = 16 * 1024;
    private const long LongText = 64 * 1024;
    private const long Case = 256 * 1024;

    /// <summary>
    /// What the suite aims at: one case (in every service), fund, grant, relocation, measure and account.
    /// </summary>
    private sealed class Targets(
        HttpClient client,
        Guid caseId,
        Guid fundId,
        Guid grantId,
        Guid relocationId,
        Guid measureId,
        Guid userId)
    {
        public HttpClient Client => client;

        public IReadOnlyList<BodyRoute> BodyRoutes { get; } =
            Routes(caseId, fundId, grantId, relocationId, measureId, userId);

        /// <summary>Every route with an id in its path ({id} stands for it).</summary>
        public IReadOnlyList<(string Method, string Template)> IdRoutes { get; } =
        [
            ("GET", "/api/cases/{id}"), ("POST", "/api/cases/{id}/threats"), ("POST", "/api/cases/{id}/erasure"),
            ("GET", "/api/cases/{id}/triage"), ("POST", "/api/cases/{id}/assessment"),
            ("POST", "/api/cases/{id}/assessment/override"),
            ("POST", "/api/cases/{id}/assignment"), ("POST", "/api/cases/{id}/plan/measures"),
            ("POST", $"/api/cases/{caseId}/plan/measures/{{id}}/complete"),
            ("POST", $"/api/cases/{caseId}/plan/measures/{{id}}/cancel"),
            ("POST", "/api/cases/{id}/close"), ("POST", "/api/cases/{id}/reopen"),
            ("GET", "/api/cases/{id}/history"), ("GET", "/api/cases/{id}/verify"),
            ("GET", "/api/cases/{id}/access-log"),
            ("GET", "/api/cases/{id}/export"), ("GET", "/api/cases/{id}/grants"), ("POST", "/api/cases/{id}/grants"),
            ("GET", "/api/cases/{id}/relocations"), ("POST", "/api/cases/{id}/relocations"),
            ("GET", "/api/funds/{id}"), ("POST", "/api/funds/{id}/top-ups"),
            ("GET", "/api/grants/{id}"), ("POST", "/api/grants/{id}/decisions"),
            ("POST", "/api/grants/{id}/disbursements"),
            ("POST", "/api/grants/{id}/reports"), ("POST", "/api/grants/{id}/withdrawal"),
            ("GET", "/api/relocations/{id}"), ("POST", "/api/relocations/{id}/plan"),
            ("POST", "/api/relocations/{id}/depart"),
            ("POST", "/api/relocations/{id}/arrive"), ("POST", "/api/relocations/{id}/check-ins"),
            ("POST", "/api/relocations/{id}/extend"),
            ("POST", "/api/relocations/{id}/return"), ("POST", "/api/relocations/{id}/resettle"),
            ("POST", "/api/relocations/{id}/close"),
            ("GET", "/api/admin/users/{id}"), ("POST", "/api/admin/users/{id}/roles"),
            ("DELETE", "/api/admin/users/{id}/roles/officer"),
            ("DELETE", $"/api/admin/users/{userId}/roles/{{id}}"),
            ("POST", "/api/admin/users/{id}/second-factor/reset"), ("POST", "/api/admin/users/{id}/deactivation"),
        ];

        /// <summary>What a stored change would move: versions of the targets, totals of the lists.</summary>
        public async Task<Dictionary<string, string>> FingerprintAsync()
        {
            string[] paths =
            [
                $"/api/cases/{caseId}", $"/api/cases/{caseId}/triage", $"/api/cases/{caseId}/grants",
                $"/api/cases/{caseId}/relocations",
                $"/api/funds/{fundId}", $"/api/grants/{grantId}", $"/api/relocations/{relocationId}",
                $"/api/admin/users/{userId}",
                "/api/cases?pageSize=1", "/api/grants?pageSize=1", "/api/funds", "/api/admin/users",
                "/api/admin/organisations",
            ];
            var print = new Dictionary<string, string>();
            foreach (var path in paths)
            {
                var json = await (await client.GetAsync(path)).Json();
                print[path] = json.ValueKind switch
                {
                    JsonValueKind.Array => $"{json.GetArrayLength()} items",
                    JsonValueKind.Object when json.TryGetProperty("version", out var v) => $"version {v}",
                    JsonValueKind.Object when json.TryGetProperty("total", out var t) => $"total {t}",
                    JsonValueKind.Object when json.TryGetProperty("items", out var i) => $"{i.GetArrayLength()} items",
                    _ => json.GetRawText(),
                };
            }

            return print;
        }

        private static BodyRoute[] Routes(
            Guid caseId,
            Guid fundId,
            Guid grantId,
            Guid relocationId,
            Guid measureId,
            Guid userId)
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
            var defender = Cases.Defender.Unique();
            var c = $"/api/cases/{caseId}";
            var g = $"/api/grants/{grantId}";
            var r = $"/api/relocations/{relocationId}";
            string[] none = [];
            return
            [
                new("/api/cases", Cases.OpenCaseBody(defender), Case,
                    ["threats[0].type", "threats[0].perpetrator"], ["threats[0].occurredOn"], none),
                new($"{c}/threats", Cases.ThreatBody(defender), LongText,
                    ["type", "perpetrator"], ["occurredOn"], none),
                new($"{c}/erasure", new JsonObject { ["basis"] = "defenderRequest" }, Small, ["basis"], none, none),
                new($"{c}/assessment", new JsonObject
                {
                    ["scores"] = Triage.Scores(1, 2, 0, 1, 1),
                    ["notes"] = new JsonObject { ["physical"] = "Followed twice this month." },
                }, LongText, none, none, none),
                new($"{c}/assessment/override",
                    new JsonObject { ["level"] = "high", ["reason"] = "Known to the armed group." },
                    Text, ["level"], none, none),
                new($"{c}/assignment", new JsonObject { ["officer"] = "hostile-suite" }, Small, none, none, none),
                new($"{c}/plan/measures", new JsonObject
                {
                    ["area"] = "threatsOnTheGround", ["type"] = "safe-house", ["owner"] = "partner-7",
                    ["dueOn"] = today,
                }, Small, ["area"], ["dueOn"], none),
                new($"{c}/plan/measures/{measureId}/cancel", new JsonObject { ["reason"] = "No longer needed." },
                    Text, none, none, none),
                new($"{c}/close", new JsonObject { ["outcome"] = "riskReduced", ["note"] = "Calmer now." },
                    Text, ["outcome"], none, none),
                new($"{c}/reopen", new JsonObject { ["reason"] = "New threats." }, Text, none, none, none),
                new("/api/funds",
                    new JsonObject { ["name"] = "Hostile fund", ["currency"] = "EUR", ["openingBalance"] = 100 },
                    Small, none, none, ["openingBalance"]),
                new($"/api/funds/{fundId}/top-ups", new JsonObject { ["amount"] = 10 }, Small, none, none, ["amount"]),
                new($"{c}/grants", Funds.GrantBody(fundId, 100m, "legal"), Text, ["category"], none, ["amount"]),
                new($"{g}/decisions",
                    new JsonObject { ["decision"] = "reject", ["amount"] = 10, ["reason"] = "Not eligible." },
                    Text, ["decision"], none, ["amount"]),
                new($"{g}/disbursements", new JsonObject { ["amount"] = 10 }, Small, none, none, ["amount"]),
                new($"{g}/reports", new JsonObject { ["spent"] = 10, ["summary"] = "Door and alarm fitted." },
                    LongText, none, none, ["spent"]),
                new($"{g}/withdrawal", new JsonObject { ["reason"] = "The family moved." }, Text, none, none, none),
                new($"{c}/relocations", RelocationTests.RelocationBody("regional"), Small,
                    ["kind", "reason"], none, none),
                new($"{r}/plan", RelocationTests.PlanBody("EC"), LongText, none, ["startOn"], none),
                new($"{r}/check-ins", new JsonObject { ["status"] = "safe", ["note"] = "All well." },
                    Text, ["status"], none, none),
                new($"{r}/extend", new JsonObject { ["endOn"] = today, ["reason"] = "Still unsafe." },
                    Text, none, ["endOn"], none),
                new($"{r}/close", new JsonObject { ["reason"] = "Not needed." }, Text, none, none, none),
                new("/api/admin/organisations", new JsonObject { ["name"] = "Hostile org", ["kind"] = "protection" },
                    Small, ["kind"], none, none),
                new("/api/admin/users", new JsonObject
                {
                    ["userName"] = "hostile-user", ["email"] = "hostile@example.org",
                    ["organisationId"] = Guid.NewGuid(), ["roles"] = new JsonArray("officer"),
                }, Small, none, none, none),
                new($"/api/admin/users/{userId}/roles", new JsonObject { ["role"] = "auditor" },
                    Small, none, none, none),
                new("/auth/dev-token", new JsonObject { ["user"] = "someone", ["roles"] = new JsonArray("officer") },
                    Small, none, none, none),
            ];
        }
    }

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<ProtectionSystem, Targets> Made = [];

    /// <summary>
    /// Made once per system: a case known to every service, a fund, a pending grant, a relocation, an account.
    /// </summary>
    private async Task<Targets> TargetsAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(system, out var made))
            {
                return made;
            }

            var client = await system.SignedInAs(
                "hostile-suite", "officer", "supervisor", "funder", "auditor", "admin");
            var defender = Cases.Defender.Unique();
            var (caseId, _) = await client.OpenAsync(defender);
            await client.WaitForTriageAsync(caseId);
            await client.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
            await client.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");

            var measure = await client.PostAsJsonAsync($"/api/cases/{caseId}/plan/measures", new
            {
                area = "threatsOnTheGround", type = "safe-house", owner = "partner-7",
                dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(7)).ToString("yyyy-MM-dd"),
            });
            measure.StatusCode.ShouldBe(HttpStatusCode.Created, await measure.Content.ReadAsStringAsync());
            var measureId = (await measure.Json()).GetProperty("measureId").GetGuid();

            var fundId = await client.CreateFundAsync(1_000m);
            var grant = await client.PostAsJsonAsync(
                $"/api/cases/{caseId}/grants", Funds.GrantBody(fundId, 100m, "legal"));
            grant.StatusCode.ShouldBe(HttpStatusCode.Created, await grant.Content.ReadAsStringAsync());
            var grantId = (await grant.Json()).GetProperty("id").GetGuid();

            var relocation = await client.PostAsJsonAsync(
                $"/api/cases/{caseId}/relocations", RelocationTests.RelocationBody("regional"));
            relocation.StatusCode.ShouldBe(HttpStatusCode.Created, await relocation.Content.ReadAsStringAsync());
            var relocationId = (await relocation.Json()).GetProperty("id").GetGuid();

            var organisation = await Administration.CreateOrganisationAsync(client, "protection");
            var user = await Administration.Json(
                await Administration.CreateAccountAsync(
                    client, $"hostile-{Guid.NewGuid():N}"[..20], organisation, "officer"),
                HttpStatusCode.Created);
            var userId = Guid.Parse(user["user"]!["id"]!.GetValue<string>());

            made = new Targets(client, caseId, fundId, grantId, relocationId, measureId, userId);
            Made[system] = made;
            return made;
        }
        finally
        {
            Gate.Release();
        }
    }
}
