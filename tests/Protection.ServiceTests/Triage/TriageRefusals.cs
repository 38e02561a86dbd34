using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// Every endpoint of triage refuses whom and what it must, with problem details, and changes nothing.
/// </summary>
[Collection(TriageCollection.Name)]
public sealed class TriageRefusals(TriageHost triage) : Refusals<TriageRefusals, TriageHost>(triage), IRefusalTables
{
    private static readonly string Assessment = TriageBodies.Assessment().ToJsonString();
    private static readonly string Override = TriageBodies.Override().ToJsonString();
    private const string Assignment = """{"officer":"officer-b"}""";
    private static readonly string Measure = TriageBodies.Measure().ToJsonString();
    private static readonly string Reason = TriageBodies.Reason().ToJsonString();
    private static readonly string Close = TriageBodies.Close().ToJsonString();

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "/api/cases/{case}/triage", null },
        { "POST", "/api/cases/{case}/assessment", Assessment },
        { "POST", "/api/cases/{case}/assessment/override", Override },
        { "POST", "/api/cases/{case}/assignment", Assignment },
        { "POST", "/api/cases/{case}/plan/measures", Measure },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/complete", null },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/cancel", Reason },
        { "POST", "/api/cases/{case}/close", Close },
        { "POST", "/api/cases/{case}/reopen", Reason },
        { "GET", "/api/triage/queue", null },
        { "GET", "/audit/cases/{case}/history", null },
        { "GET", "/audit/cases/{case}/verify", null },
        { "GET", "/audit/cases/{case}/access-log", null },
    };

    public static TheoryData<string, string, string?, string> RolesThatMayNot => new()
    {
        { "GET", "/api/cases/{case}/triage", null, "funder" },
        { "GET", "/api/cases/{case}/triage", null, "admin" },
        { "POST", "/api/cases/{case}/assessment", Assessment, "auditor" },
        { "POST", "/api/cases/{case}/assessment", Assessment, "funder" },
        { "POST", "/api/cases/{case}/assessment/override", Override, "officer" },
        { "POST", "/api/cases/{case}/assignment", Assignment, "officer" },
        { "POST", "/api/cases/{case}/plan/measures", Measure, "funder" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/complete", null, "auditor" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/cancel", Reason, "funder" },
        { "POST", "/api/cases/{case}/close", Close, "auditor" },
        { "POST", "/api/cases/{case}/reopen", Reason, "admin" },
        { "GET", "/api/triage/queue", null, "funder" },
        { "GET", "/audit/cases/{case}/history", null, "officer" },
        { "GET", "/audit/cases/{case}/verify", null, "supervisor" },
        { "GET", "/audit/cases/{case}/access-log", null, "officer" },
    };

    public static TheoryData<string, string, string?> CaseworkerEndpoints => new()
    {
        { "GET", "/api/cases/{case}/triage", null },
        { "POST", "/api/cases/{case}/assessment", Assessment },
        { "POST", "/api/cases/{case}/plan/measures", Measure },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/complete", null },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/cancel", Reason },
        { "POST", "/api/cases/{case}/close", Close },
        { "POST", "/api/cases/{case}/reopen", Reason },
    };

    public static TheoryData<string, string, string?, string> Unknown => new()
    {
        { "GET", "/api/cases/{unknown}/triage", null, "officer" },
        { "POST", "/api/cases/{unknown}/assessment", Assessment, "officer" },
        { "POST", "/api/cases/{unknown}/assessment/override", Override, "supervisor" },
        { "POST", "/api/cases/{unknown}/assignment", Assignment, "supervisor" },
        { "POST", "/api/cases/{unknown}/plan/measures", Measure, "officer" },
        { "POST", "/api/cases/{unknown}/plan/measures/{measure}/complete", null, "officer" },
        { "POST", "/api/cases/{unknown}/plan/measures/{measure}/cancel", Reason, "officer" },
        { "POST", "/api/cases/{case}/plan/measures/{unknown}/complete", null, "officer" },
        { "POST", "/api/cases/{case}/plan/measures/{unknown}/cancel", Reason, "officer" },
        { "POST", "/api/cases/{unknown}/close", Close, "officer" },
        { "POST", "/api/cases/{unknown}/reopen", Reason, "officer" },
    };

    public static TheoryData<string, string?, string> Commands => new()
    {
        { "/api/cases/{case}/assessment", Assessment, "officer" },
        { "/api/cases/{case}/assessment/override", Override, "supervisor" },
        { "/api/cases/{case}/assignment", Assignment, "supervisor" },
        { "/api/cases/{case}/plan/measures", Measure, "officer" },
        { "/api/cases/{case}/plan/measures/{measure}/complete", null, "officer" },
        { "/api/cases/{case}/plan/measures/{measure}/cancel", Reason, "officer" },
        { "/api/cases/{case}/close", Close, "officer" },
        { "/api/cases/{case}/reopen", Reason, "officer" },
    };

    public static TheoryData<string, string, string?, string, int, string> BadRequests => new()
    {
        { "POST", "/api/cases/{case}/assessment", Scores(TriageBodies.Scores(0, 4, 0, 0, 0)), "officer", 400,
            "scores.physical" },
        { "POST", "/api/cases/{case}/assessment", Scores(Without(TriageBodies.Scores(0, 1, 0, 0, 0), "economic")),
            "officer", 400, "scores.economic" },
        { "POST", "/api/cases/{case}/assessment", "{}", "officer", 400, "scores" },
        { "POST", "/api/cases/{case}/assessment", """{"scores":{"physical":"high"}}""", "officer", 400,
            "scores.physical" },
        { "POST", "/api/cases/{case}/assessment/override", """{"level":"critical","reason":"short"}""",
            "supervisor", 400, "reason" },
        { "POST", "/api/cases/{case}/assessment/override", TriageBodies.Override("extreme").ToJsonString(),
            "supervisor", 400, "level" },
        { "POST", "/api/cases/{case}/assignment", """{"officer":"Olivia Officer!"}""", "supervisor", 400,
            "officer" },
        { "POST", "/api/cases/{case}/plan/measures", Replace(TriageBodies.Measure(), "type", "Safe House"),
            "officer", 400, "type" },
        { "POST", "/api/cases/{case}/plan/measures", TriageBodies.Measure(dueInDays: -3).ToJsonString(), "officer",
            422, "dueOn" },
        { "POST", "/api/cases/{case}/plan/measures", TriageBodies.Measure(dueInDays: 3 * 366).ToJsonString(),
            "officer", 422, "dueOn" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/cancel", """{"reason":"x"}""", "officer", 400,
            "reason" },
        { "POST", "/api/cases/{case}/close", "{}", "officer", 400, "outcome" },
        { "POST", "/api/cases/{case}/close", """{"outcome":"solved"}""", "officer", 400, "outcome" },
        { "POST", "/api/cases/{case}/reopen", "{}", "officer", 400, "reason" },
    };

    /// <summary>
    /// (method, path, body, role): every route on the case, as another organisation's staff and auditors
    /// would use it (officers with the seeded case officer's own user id).
    /// </summary>
    public static TheoryData<string, string, string?, string> OtherOrganisation => new()
    {
        { "GET", "/api/cases/{case}/triage", null, "officer" },
        { "GET", "/api/cases/{case}/triage", null, "supervisor" },
        { "GET", "/api/cases/{case}/triage", null, "auditor" },
        { "POST", "/api/cases/{case}/assessment", Assessment, "officer" },
        { "POST", "/api/cases/{case}/assessment", Assessment, "supervisor" },
        { "POST", "/api/cases/{case}/assessment/override", Override, "supervisor" },
        { "POST", "/api/cases/{case}/assignment", Assignment, "supervisor" },
        { "POST", "/api/cases/{case}/plan/measures", Measure, "officer" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/complete", null, "officer" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/cancel", Reason, "supervisor" },
        { "POST", "/api/cases/{case}/close", Close, "officer" },
        { "POST", "/api/cases/{case}/reopen", Reason, "supervisor" },
        { "GET", "/audit/cases/{case}/history", null, "supervisor" },
        { "GET", "/audit/cases/{case}/history", null, "auditor" },
        { "GET", "/audit/cases/{case}/verify", null, "auditor" },
        { "GET", "/audit/cases/{case}/access-log", null, "auditor" },
    };

    [Theory]
    [MemberData(nameof(OtherOrganisation))]
    public async Task To_another_organisation_the_case_does_not_exist_404_with_nothing_of_it_and_nothing_changes(
        string method, string path, string? body, string role)
    {
        var user = role == "officer" ? TriageHost.Officer : $"{role}-b";
        var problem = await RefusedAsync(
            Host.WithToken(TestTokens.Of(TestTokens.OrganisationB, user, [role])), method, path, body,
            HttpStatusCode.NotFound);
        problem.ShouldSayNothingOfTheCase();
    }

    [Theory]
    [InlineData("/api/triage/queue?risk=extreme", "risk")]
    [InlineData("/api/triage/queue?page=0", "page")]
    public Task A_bad_queue_filter_is_422_naming_it(string path, string field) =>
        Host.As(TriageHost.Officer, "officer").SendAsync("GET", path)
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, field);

    protected override string CaseOfficer => TriageHost.Officer;

    private static string Scores(JsonObject scores) => new JsonObject { ["scores"] = scores }.ToJsonString();

    private static JsonObject Without(JsonObject body, string member)
    {
        body.Remove(member);
        return body;
    }

    private static string Replace(JsonObject body, string member, string value)
    {
        body[member] = value;
        return body.ToJsonString();
    }

    /// <summary>
    /// The seeded case's version, once it is seen unassessed: nothing here assesses it, so an assessment
    /// would be one a refusal stored.
    /// </summary>
    protected override async Task<long> VersionAsync()
    {
        var view = await As("officer").SendAsync("GET", Host.Path("/api/cases/{case}/triage"))
            .ShouldBe(HttpStatusCode.OK);
        view.GetProperty("assessment").ValueKind.ShouldBe(JsonValueKind.Null);
        return view.GetProperty("version").GetInt64();
    }
}
