using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Relocation;

/// <summary>
/// Every endpoint of relocation refuses whom and what it must, with problem details, and writes
/// nothing: the seeded relocation (requested, nothing more) keeps its version.
/// </summary>
[Collection(RelocationCollection.Name)]
public sealed class RelocationRefusals(RelocationHost relocation)
    : Refusals<RelocationRefusals, RelocationHost>(relocation), IRefusalTables
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

    public static TheoryData<string, string, string?, string> Unknown => new()
    {
        { "POST", "/api/cases/{unknown}/relocations", Request, "officer" },
        { "GET", "/api/cases/{unknown}/relocations", null, "officer" },
        { "GET", "/api/relocations/{unknown}", null, "officer" },
        { "POST", "/api/relocations/{unknown}/plan", Plan, "officer" },
        { "POST", "/api/relocations/{unknown}/depart", null, "officer" },
        { "POST", "/api/relocations/{unknown}/arrive", null, "officer" },
        { "POST", "/api/relocations/{unknown}/check-ins", CheckIn, "officer" },
        { "POST", "/api/relocations/{unknown}/extend", Extend, "officer" },
        { "POST", "/api/relocations/{unknown}/return", null, "officer" },
        { "POST", "/api/relocations/{unknown}/resettle", null, "officer" },
        { "POST", "/api/relocations/{unknown}/close", Close, "officer" },
    };

    public static TheoryData<string, string?, string> Commands => new()
    {
        { "/api/relocations/{relocation}/plan", Plan, "officer" },
        { "/api/relocations/{relocation}/depart", null, "officer" },
        { "/api/relocations/{relocation}/arrive", null, "officer" },
        { "/api/relocations/{relocation}/check-ins", CheckIn, "officer" },
        { "/api/relocations/{relocation}/extend", Extend, "officer" },
        { "/api/relocations/{relocation}/return", null, "officer" },
        { "/api/relocations/{relocation}/resettle", null, "officer" },
        { "/api/relocations/{relocation}/close", Close, "officer" },
    };

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
        var problem = await RefusedAsync(As("officer"), "POST", path, body, HttpStatusCode.Conflict);
        problem.GetProperty("allowed").EnumerateArray().Select(s => s.GetString()).ShouldBe(["plan", "close"]);
    }

    [Fact]
    public async Task A_second_relocation_while_one_is_in_progress_is_409_naming_it()
    {
        var problem = await As("officer").SendAsync("POST", Host.Path("/api/cases/{case}/relocations"), Request)
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("relocationId").GetGuid().ShouldBe(Host.RelocationId);
        (await CaseRelocationsAsync()).ShouldBe(1);
    }

    public static TheoryData<string, string, string?, string, int, string> BadRequests => new()
    {
        { "POST", "/api/cases/{case}/relocations", """{"reason":"respite"}""", "officer", 400, "kind" },
        { "POST", "/api/cases/{case}/relocations", """{"kind":"spaceStation","reason":"respite"}""", "officer",
            400, "kind" },
        { "POST", "/api/cases/{case}/relocations", With(RelocationBodies.Request("regional"), "checkInEveryDays", 0),
            "officer", 400, "checkInEveryDays" },
        // A regional move leaves the country.
        { "POST", "/api/relocations/{relocation}/plan", """{"destination":{"country":"CO","city":"Quito"}}""",
            "officer", 422, "destination.country" },
        { "POST", "/api/relocations/{relocation}/plan", "{}", "officer", 422, "securityPlan" },
        { "POST", "/api/relocations/{relocation}/plan", With(RelocationBodies.Plan("EC"), "endOn",
            RelocationBodies.Today.AddMonths(4).ToString("yyyy-MM-dd")), "officer", 422, "endOn" },
        { "POST", "/api/relocations/{relocation}/check-ins", """{"status":"alarming"}""", "officer", 400,
            "status" },
        { "POST", "/api/relocations/{relocation}/extend", """{"reason":"Longer"}""", "officer", 400, "endOn" },
        // Closing before the move cancels the relocation, and needs a reason.
        { "POST", "/api/relocations/{relocation}/close", "{}", "officer", 422, "reason" },
    };

    [Fact]
    public async Task Children_counted_beyond_the_family_are_422_naming_the_field_and_nothing_is_requested()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = Host.As(officerId, "officer");
        var caseId = await Host.CaseOfAsync(officerId);
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

    protected override string CaseOfficer => RelocationHost.Officer;

    /// <summary>The seeded relocation's version, once it is seen still requested (and nothing more).</summary>
    protected override async Task<long> VersionAsync()
    {
        var seen = await As("officer").SendAsync("GET", Host.Path("/api/relocations/{relocation}"))
            .ShouldBe(HttpStatusCode.OK);
        seen.Text("state").ShouldBe("requested");
        return seen.GetProperty("version").GetInt64();
    }

    /// <summary>The seeded relocation's version, once the seeded case is seen with it as its only relocation.</summary>
    protected override async Task<object> StateAsync()
    {
        (await CaseRelocationsAsync()).ShouldBe(1);
        return await VersionAsync();
    }

    private async Task<int> CaseRelocationsAsync() =>
        (await As("officer").SendAsync("GET", Host.Path("/api/cases/{case}/relocations")).ShouldBe(HttpStatusCode.OK))
        .GetProperty("items").GetArrayLength();
}
