using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Relocation;

/// <summary>
/// Every endpoint of relocation refuses whom and what it must, with problem details, and writes
/// nothing: the seeded relocation (requested, nothing more) keeps its version.
/// </summary>
[Collection(RelocationCollection.Name)]
public sealed class RelocationRefusals(RelocationHost relocation)
{
    private static readonly string Request = RelocationBodies.Request("regional").ToJsonString();
    private static readonly string Plan = RelocationBodies.Plan("EC").ToJsonString();
    private const string CheckIn = """{"status":"safe"}""";
    private static readonly string Extend = RelocationBodies.Extend(RelocationBodies.Today.AddMonths(6)).ToJsonString();
    private const string Close = """{"reason":"The defender chose to stay with relatives."}""";

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "POST", "/api/cases/{case}/relocations", Request },
        { "GET", "/api/cases/{case}/relocations", null },
        { "GET", "/api/relocations/{relocation}", null },
        { "POST", "/api/relocations/{relocation}/plan", Plan },
        { "POST", "/api/relocations/{relocation}/depart", null },
        { "POST", "/api/relocations/{relocation}/arrive", null },
        { "POST", "/api/relocations/{relocation}/check-ins", CheckIn },
        { "POST", "/api/relocations/{relocation}/extend", Extend },
        { "POST", "/api/relocations/{relocation}/return", null },
        { "POST", "/api/relocations/{relocation}/resettle", null },
        { "POST", "/api/relocations/{relocation}/close", Close },
        { "GET", "/audit/cases/{case}/history", null },
        { "GET", "/audit/cases/{case}/verify", null },
        { "GET", "/audit/cases/{case}/access-log", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_an_endpoint_answers_401(string method, string path, string? body)
    {
        var before = await VersionAsync();
        await relocation.Anonymous().SendAsync(method, relocation.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?, string> RolesThatMayNot => new()
    {
        { "POST", "/api/cases/{case}/relocations", Request, "funder" },
        { "POST", "/api/cases/{case}/relocations", Request, "auditor" },
        { "GET", "/api/cases/{case}/relocations", null, "funder" },
        { "GET", "/api/relocations/{relocation}", null, "admin" },
        { "POST", "/api/relocations/{relocation}/plan", Plan, "funder" },
        { "POST", "/api/relocations/{relocation}/depart", null, "auditor" },
        { "POST", "/api/relocations/{relocation}/arrive", null, "funder" },
        { "POST", "/api/relocations/{relocation}/check-ins", CheckIn, "funder" },
        { "POST", "/api/relocations/{relocation}/extend", Extend, "auditor" },
        { "POST", "/api/relocations/{relocation}/return", null, "funder" },
        { "POST", "/api/relocations/{relocation}/resettle", null, "admin" },
        { "POST", "/api/relocations/{relocation}/close", Close, "funder" },
        { "GET", "/audit/cases/{case}/history", null, "officer" },
        { "GET", "/audit/cases/{case}/verify", null, "supervisor" },
        { "GET", "/audit/cases/{case}/access-log", null, "officer" },
    };

    [Theory]
    [MemberData(nameof(RolesThatMayNot))]
    public async Task A_role_that_may_not_is_refused_403_and_nothing_changes(
        string method, string path, string? body, string role)
    {
        var before = await VersionAsync();
        await relocation.As($"{role}-{Guid.NewGuid():N}", role).SendAsync(method, relocation.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?> CaseworkerEndpoints => new()
    {
        { "POST", "/api/cases/{case}/relocations", Request },
        { "GET", "/api/cases/{case}/relocations", null },
        { "GET", "/api/relocations/{relocation}", null },
        { "POST", "/api/relocations/{relocation}/plan", Plan },
        { "POST", "/api/relocations/{relocation}/depart", null },
        { "POST", "/api/relocations/{relocation}/arrive", null },
        { "POST", "/api/relocations/{relocation}/check-ins", CheckIn },
        { "POST", "/api/relocations/{relocation}/extend", Extend },
        { "POST", "/api/relocations/{relocation}/return", null },
        { "POST", "/api/relocations/{relocation}/resettle", null },
        { "POST", "/api/relocations/{relocation}/close", Close },
    };

    [Theory]
    [MemberData(nameof(CaseworkerEndpoints))]
    public async Task Another_officer_is_refused_the_case_and_its_relocation_403(string method, string path,
        string? body)
    {
        var before = await VersionAsync();
        await relocation.As($"officer-{Guid.NewGuid():N}", "officer").SendAsync(method, relocation.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?> Unknown => new()
    {
        { "POST", "/api/cases/{unknown}/relocations", Request },
        { "GET", "/api/cases/{unknown}/relocations", null },
        { "GET", "/api/relocations/{unknown}", null },
        { "POST", "/api/relocations/{unknown}/plan", Plan },
        { "POST", "/api/relocations/{unknown}/depart", null },
        { "POST", "/api/relocations/{unknown}/arrive", null },
        { "POST", "/api/relocations/{unknown}/check-ins", CheckIn },
        { "POST", "/api/relocations/{unknown}/extend", Extend },
        { "POST", "/api/relocations/{unknown}/return", null },
        { "POST", "/api/relocations/{unknown}/resettle", null },
        { "POST", "/api/relocations/{unknown}/close", Close },
    };

    [Theory]
    [MemberData(nameof(Unknown))]
    public async Task An_unknown_case_or_relocation_is_404(string method, string path, string? body)
    {
        var before = await VersionAsync();
        await relocation.As(RelocationHost.Officer, "officer").SendAsync(method, relocation.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string?> Commands => new()
    {
        { "/api/relocations/{relocation}/plan", Plan },
        { "/api/relocations/{relocation}/depart", null },
        { "/api/relocations/{relocation}/arrive", null },
        { "/api/relocations/{relocation}/check-ins", CheckIn },
        { "/api/relocations/{relocation}/extend", Extend },
        { "/api/relocations/{relocation}/return", null },
        { "/api/relocations/{relocation}/resettle", null },
        { "/api/relocations/{relocation}/close", Close },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_command_on_a_stale_version_is_409_with_the_current_version_and_changes_nothing(string path,
        string? body)
    {
        var before = await VersionAsync();
        var problem = await relocation.As(RelocationHost.Officer, "officer")
            .SendAsync("POST", relocation.Path(path), body, ifMatch: $"\"{before + 3}\"")
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(before);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string?> StepsNotYetAllowed => new()
    {
        { "/api/relocations/{relocation}/depart", null },
        { "/api/relocations/{relocation}/arrive", null },
        { "/api/relocations/{relocation}/check-ins", CheckIn },
        { "/api/relocations/{relocation}/extend", Extend },
        { "/api/relocations/{relocation}/return", null },
        { "/api/relocations/{relocation}/resettle", null },
    };

    [Theory]
    [MemberData(nameof(StepsNotYetAllowed))]
    public async Task A_step_a_requested_relocation_does_not_allow_is_409_naming_the_steps_that_are(string path,
        string? body)
    {
        var before = await VersionAsync();
        var problem = await relocation.As(RelocationHost.Officer, "officer").SendAsync("POST", relocation.Path(path),
            body)
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("allowed").EnumerateArray().Select(s => s.GetString()).ShouldBe(["plan", "close"]);
        (await VersionAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_second_relocation_while_one_is_in_progress_is_409_naming_it()
    {
        var problem = await relocation.As(RelocationHost.Officer, "officer")
            .SendAsync("POST", relocation.Path("/api/cases/{case}/relocations"), Request)
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("relocationId").GetGuid().ShouldBe(relocation.RelocationId);
        (await CaseRelocationsAsync()).ShouldBe(1);
    }

    public static TheoryData<string, string, int, string> BadRequests() => new()
    {
        { "/api/cases/{case}/relocations", """{"reason":"respite"}""", 400, "kind" },
        { "/api/cases/{case}/relocations", """{"kind":"spaceStation","reason":"respite"}""", 400, "kind" },
        { "/api/cases/{case}/relocations", With(RelocationBodies.Request("regional"), "checkInEveryDays", 0), 400,
            "checkInEveryDays" },
        // A regional move leaves the country.
        { "/api/relocations/{relocation}/plan", """{"destination":{"country":"CO","city":"Quito"}}""", 422,
            "destination.country" },
        { "/api/relocations/{relocation}/plan", "{}", 422, "securityPlan" },
        { "/api/relocations/{relocation}/plan", With(RelocationBodies.Plan("EC"), "endOn",
            RelocationBodies.Today.AddMonths(4).ToString("yyyy-MM-dd")), 422, "endOn" },
        { "/api/relocations/{relocation}/check-ins", """{"status":"alarming"}""", 400, "status" },
        { "/api/relocations/{relocation}/extend", """{"reason":"Longer"}""", 400, "endOn" },
        // Closing before the move cancels the relocation, and needs a reason.
        { "/api/relocations/{relocation}/close", "{}", 422, "reason" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_body_is_refused_naming_the_field_and_writes_nothing(string path, string body, int status,
        string field)
    {
        var before = await VersionAsync();
        await relocation.As(RelocationHost.Officer, "officer").SendAsync("POST", relocation.Path(path), body)
            .ShouldBeProblem((HttpStatusCode)status, field);
        (await VersionAsync()).ShouldBe(before);
        (await CaseRelocationsAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Children_counted_beyond_the_family_are_422_naming_the_field_and_nothing_is_requested()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = relocation.As(officerId, "officer");
        var caseId = await relocation.CaseOfAsync(officerId);
        var body = With(RelocationBodies.Request("regional"), "people",
            new JsonObject { ["familyMembers"] = 1, ["children"] = 2 });

        await officer.SendAsync("POST", $"/api/cases/{caseId}/relocations", body)
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "people.children");
        (await officer.SendAsync("GET", $"/api/cases/{caseId}/relocations").ShouldBe(HttpStatusCode.OK))
            .GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    private static string With(JsonObject body, string member, JsonNode value)
    {
        body[member] = value;
        return body.ToJsonString();
    }

    private async Task<long> VersionAsync()
    {
        var seen = await relocation.As(RelocationHost.Officer, "officer")
            .SendAsync("GET", relocation.Path("/api/relocations/{relocation}")).ShouldBe(HttpStatusCode.OK);
        seen.Text("state").ShouldBe("requested");
        return seen.GetProperty("version").GetInt64();
    }

    private async Task<int> CaseRelocationsAsync() =>
        (await relocation.As(RelocationHost.Officer, "officer")
            .SendAsync("GET", relocation.Path("/api/cases/{case}/relocations")).ShouldBe(HttpStatusCode.OK))
        .GetProperty("items").GetArrayLength();
}
