using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Protection.EndToEndTests;

/// <summary>
/// What a careless or hostile client sends: headers that are echoed and stored, cells that a spreadsheet would run.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileInputTests(ProtectionSystem system)
{
    [Theory]
    [InlineData("x\u2028y")]
    [InlineData("=HYPERLINK(\"http://evil.example\")")]
    [InlineData("-2+3")]
    [InlineData("a b")]
    public async Task An_unsafe_correlation_id_is_replaced_never_echoed_and_never_a_500(string sent)
    {
        using var officer = await system.SignedInAs("hostile-headers", "officer");
        using var client = new HttpClient(
            new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = system.Gateway.BaseAddress,
        };
        client.DefaultRequestHeaders.Authorization = officer.DefaultRequestHeaders.Authorization;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", sent).ShouldBeTrue();

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var echoed = response.Headers.GetValues("X-Correlation-Id").Single();
        echoed.ShouldNotBe(sent);
        echoed.ShouldMatch("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
    }

    [Fact]
    public async Task A_cell_that_a_spreadsheet_would_run_as_a_formula_is_exported_as_text()
    {
        // A user name (the token's subject, stored as the actor of every event) that is a formula.
        using var officer = await system.SignedInAs("=cmd|' /c calc'!a1", "officer");
        var opened = await (await officer.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique())))
            .Content.ReadFromJsonAsync<JsonObject>();
        var id = opened!["id"]!.GetValue<string>();
        using var auditor = await system.SignedInAs("csv-auditor", "auditor");

        var csv = await auditor.GetStringAsync($"/api/cases/{id}/export?format=csv");

        csv.ShouldContain("'=cmd");
        var cells = Regex.Split(csv, "[,\n]").Select(c => c.Trim('"'));
        cells.Where(c => c.Length > 0
                && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal)
                && !c.StartsWith("'", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_unknown_or_repeated_members_are_400_naming_them()
    {
        using var officer = await system.SignedInAs("hostile-bodies", "officer");
        var before = await CaseCountAsync(officer);

        var huge = Cases.OpenCaseBody(Cases.Defender.Unique());
        huge["padding"] = new string('x', 10 * 1024 * 1024);
        // Expect: 100-continue, as well-behaved clients send large bodies: the refusal comes before the 10 MB are sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = new StringContent(huge.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var tooLarge = await officer.SendAsync(request);
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        tooLarge.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        var unknown = Cases.OpenCaseBody(Cases.Defender.Unique());
        unknown["isVip"] = true;
        var refused = await officer.PostAsync(
            "/api/cases", new StringContent(unknown.ToJsonString(), Encoding.UTF8, "application/json"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key)
            .ShouldContain("isVip");

        // "dataProcessing": false, then true: the last one must not win.
        var twice = Cases.OpenCaseBody(Cases.Defender.Unique()).ToJsonString().Replace(
            "\"dataProcessing\":true",
            "\"dataProcessing\":false,\"dataProcessing\":true",
            StringComparison.Ordinal);
        twice.ShouldContain("\"dataProcessing\":false,\"dataProcessing\":true");
        var repeated = await officer.PostAsync(
            "/api/cases", new StringContent(twice, Encoding.UTF8, "application/json"));
        repeated.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await repeated.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key)
            .ShouldContain("consent.dataProcessing");

        (await CaseCountAsync(officer)).ShouldBe(before); // nothing was written
    }

    private static async Task<long> CaseCountAsync(HttpClient officer) =>
        (await officer.GetFromJsonAsync<JsonObject>("/api/cases?pageSize=1"))!["total"]!.GetValue<long>();
}
