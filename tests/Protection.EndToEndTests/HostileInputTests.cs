using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Protection.EndToEndTests;

/// <summary>What a careless or hostile client sends: headers that are echoed and stored, cells that a spreadsheet would run.</summary>
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
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = system.Gateway.BaseAddress };
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
        var opened = await (await officer.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()))).Content.ReadFromJsonAsync<JsonObject>();
        var id = opened!["id"]!.GetValue<string>();
        using var auditor = await system.SignedInAs("csv-auditor", "auditor");

        var csv = await auditor.GetStringAsync($"/api/cases/{id}/export?format=csv");

        csv.ShouldContain("'=cmd");
        var cells = Regex.Split(csv, "[,\n]").Select(c => c.Trim('"'));
        cells.Where(c => c.Length > 0 && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal) && !c.StartsWith("'", StringComparison.Ordinal)).ShouldBeEmpty();
    }
}
