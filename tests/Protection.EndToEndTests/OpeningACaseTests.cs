using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Protection.EndToEndTests;

/// <summary>
/// An officer opens a case through the gateway and reads it back; the gateway and intake refuse whom they should.
/// (Each bad body and unknown case intake refuses is in the service tests: Protection.ServiceTests, Intake.)
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class OpeningACaseTests(ProtectionSystem system)
{
    [Fact]
    public async Task Without_a_token_the_gateway_answers_401()
    {
        (await system.Gateway.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique())))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await system.Gateway.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await system.Gateway.GetAsync($"/api/cases/{Guid.NewGuid()}"))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_funder_may_neither_open_nor_list_nor_read_cases()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var (id, _) = await officer.OpenAsync(Cases.Defender.Unique());
        var funder = await system.SignedInAs("funder-1", "funder");

        var open = await funder.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()));
        open.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await funder.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await funder.GetAsync($"/api/cases/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_valid_case_is_created_readable_back_by_its_officer_and_listed()
    {
        var user = $"officer-{Guid.NewGuid():N}";
        var officer = await system.SignedInAs(user, "officer");
        var defender = Cases.Defender.Unique();

        var created = await officer.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(defender));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await created.Json();
        var id = body.GetProperty("id").GetGuid();
        var reference = body.GetProperty("reference").GetString()!;
        ReferencePattern().IsMatch(reference).ShouldBeTrue(reference);
        created.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}");

        var read = await officer.GetAsync($"/api/cases/{id}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var file = await read.Json();
        read.Headers.ETag!.Tag.ShouldBe($"\"{file.GetProperty("version").GetInt64()}\"");
        file.GetProperty("reference").GetString().ShouldBe(reference);
        file.GetProperty("stage").GetString()
            .ShouldBeOneOf("intake", "triage"); // triage takes it in within milliseconds
        file.GetProperty("personalData").GetString().ShouldBe("visible");
        file.GetProperty("defender").GetProperty("fullName").GetString().ShouldBe(defender.FullName);
        file.GetProperty("defender").GetProperty("contacts").GetProperty("email").GetString().ShouldBe(defender.Email);
        file.GetProperty("peopleAtRisk").GetInt32().ShouldBe(2);
        file.GetProperty("threats")[0].GetProperty("description").GetString().ShouldBe(defender.ThreatDescription);
        file.GetProperty("openedBy").GetString().ShouldBe(user);

        var list = await (await officer.GetAsync("/api/cases?status=open&country=CO")).Json();
        list.GetProperty("total").GetInt64().ShouldBe(1);
        var row = list.GetProperty("items")[0];
        row.GetProperty("id").GetGuid().ShouldBe(id);
        row.GetProperty("threatTypes")[0].GetString().ShouldBe("physical");
        row.ToString().ShouldNotContain(defender.FullName);
    }

    [Fact]
    public async Task The_correlation_id_sent_comes_back()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/cases");
        request.Headers.Add("X-Correlation-Id", "e2e-correlation-42");
        var response = await officer.SendAsync(request);
        response.Headers.GetValues("X-Correlation-Id").ShouldBe(["e2e-correlation-42"]);
    }

    [GeneratedRegex(@"^PC-\d{4}-\d{6,}$")]
    private static partial Regex ReferencePattern();
}
