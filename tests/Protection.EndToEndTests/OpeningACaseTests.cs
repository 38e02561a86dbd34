using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Protection.EndToEndTests;

/// <summary>An officer opens a case through the gateway and reads it back; the API refuses everyone and everything it should.</summary>
[Collection(SystemCollection.Name)]
public sealed partial class OpeningACaseTests(ProtectionSystem system)
{
    [Fact]
    public async Task Without_a_token_the_gateway_answers_401()
    {
        (await system.Gateway.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await system.Gateway.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await system.Gateway.GetAsync($"/api/cases/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
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
        file.GetProperty("stage").GetString().ShouldBeOneOf("intake", "triage"); // triage takes it in within milliseconds
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
    public async Task References_are_unique_and_sort_in_opening_order()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var references = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            references.Add((await officer.OpenAsync(Cases.Defender.Unique())).Reference);
        }

        references.Distinct().Count().ShouldBe(5);
        references.Order(StringComparer.Ordinal).ShouldBe(references);
    }

    [Fact]
    public async Task Another_officer_is_refused_a_supervisor_reads_everything_an_auditor_reads_without_personal_data()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);

        var colleague = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        (await colleague.GetAsync($"/api/cases/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var colleagueList = await (await colleague.GetAsync("/api/cases")).Json();
        colleagueList.GetProperty("total").GetInt64().ShouldBe(0);

        var supervisor = await system.SignedInAs("supervisor-1", "supervisor");
        var asSupervisor = await (await supervisor.GetAsync($"/api/cases/{id}")).Json();
        asSupervisor.GetProperty("defender").GetProperty("fullName").GetString().ShouldBe(defender.FullName);

        var auditor = await system.SignedInAs("auditor-1", "auditor");
        var asAuditorResponse = await auditor.GetAsync($"/api/cases/{id}");
        asAuditorResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var asAuditor = await asAuditorResponse.Content.ReadAsStringAsync();
        asAuditor.ShouldContain("\"personalData\":\"withheldForRole\"");
        defender.ShouldNotAppearIn(asAuditor);
    }

    [Fact]
    public async Task An_unknown_case_is_404_with_problem_details()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var response = await officer.GetAsync($"/api/cases/{Guid.NewGuid()}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await officer.PostAsJsonAsync($"/api/cases/{Guid.NewGuid()}/threats", Cases.ThreatBody(Cases.Defender.Unique()))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string, int, string> BadRequests()
    {
        var data = new TheoryData<string, string, int, string>();
        void Add(string why, Action<JsonObject> spoil, int status, string field)
        {
            var body = Cases.OpenCaseBody(Cases.Defender.Unique());
            spoil(body);
            data.Add(why, body.ToJsonString(), status, field);
        }

        Add("no name", b => b["defender"]!.AsObject().Remove("fullName"), 400, "defender.fullName");
        Add("country not ISO", b => b["defender"]!["location"]!["country"] = "Colombia", 400, "defender.location.country");
        Add("bad email", b => b["defender"]!["contacts"]!["email"] = "not-an-email", 400, "defender.contacts.email");
        Add("no threats", b => b["threats"] = new JsonArray(), 400, "threats");
        Add("no consent", b => b.Remove("consent"), 400, "consent");
        Add("unknown threat type", b => b["threats"]![0]!["type"] = "rumour", 400, "threats[0].type");
        Add("threat type as number", b => b["threats"]![0]!["type"] = 3, 400, "threats[0].type");
        Add("date not a date", b => b["threats"]![0]!["occurredOn"] = "yesterday", 400, "threats[0].occurredOn");
        Add("no consent to record", b => b["consent"]!["dataProcessing"] = false, 422, "consent.dataProcessing");
        Add("threat in the future", b => b["threats"]![0]!["occurredOn"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)).ToString("yyyy-MM-dd"), 422, "threats[0].occurredOn");
        // Tomorrow in Colombia (UTC−5), whatever the UTC time of the run.
        var tomorrowInColombia = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5)).AddDays(1).ToString("yyyy-MM-dd");
        Add("threat tomorrow in its country", b => b["threats"]![0]!["occurredOn"] = tomorrowInColombia, 422, "threats[0].occurredOn");
        Add("threat before 1900", b => b["threats"]![0]!["occurredOn"] = "0001-01-01", 422, "threats[0].occurredOn");
        data.Add("truncated JSON (named where it breaks)", "{\"defender\": ", 400, "defender");
        data.Add("not JSON at all", "defender=Amina", 400, "body");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_refused_with_problem_details_naming_the_field_and_stores_nothing(string why, string body, int status, string field)
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var response = await officer.PostAsync("/api/cases", new StringContent(body, Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBe(status, why);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Json();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"{why}: {problem}");

        var list = await (await officer.GetAsync("/api/cases")).Json();
        list.GetProperty("total").GetInt64().ShouldBe(0, why);
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
