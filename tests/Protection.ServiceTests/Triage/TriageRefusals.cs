using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// Every endpoint of triage refuses whom and what it must, with problem details, and changes nothing.
/// </summary>
[Collection(TriageCollection.Name)]
public sealed class TriageRefusals(TriageHost triage)
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

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_an_endpoint_answers_401(string method, string path, string? body)
    {
        var before = await VersionAsync();
        await triage.Anonymous().SendAsync(method, triage.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await VersionAsync()).ShouldBe(before);
    }

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

    [Theory]
    [MemberData(nameof(RolesThatMayNot))]
    public async Task A_role_that_may_not_is_refused_403_and_nothing_changes(
        string method, string path, string? body, string role)
    {
        var before = await VersionAsync();
        await triage.As($"{role}-{Guid.NewGuid():N}", role).SendAsync(method, triage.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync()).ShouldBe(before);
    }

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

    [Theory]
    [MemberData(nameof(CaseworkerEndpoints))]
    public async Task Another_officer_is_refused_the_case_403(string method, string path, string? body)
    {
        var before = await VersionAsync();
        await triage.As($"officer-{Guid.NewGuid():N}", "officer").SendAsync(method, triage.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync()).ShouldBe(before);
    }

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

    [Theory]
    [MemberData(nameof(Unknown))]
    public async Task An_unknown_case_or_measure_is_404(string method, string path, string? body, string role)
    {
        var before = await VersionAsync();
        await triage.As(User(role), role).SendAsync(method, triage.Path(path), body)
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?, string> Commands => new()
    {
        { "POST", "/api/cases/{case}/assessment", Assessment, "officer" },
        { "POST", "/api/cases/{case}/assessment/override", Override, "supervisor" },
        { "POST", "/api/cases/{case}/assignment", Assignment, "supervisor" },
        { "POST", "/api/cases/{case}/plan/measures", Measure, "officer" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/complete", null, "officer" },
        { "POST", "/api/cases/{case}/plan/measures/{measure}/cancel", Reason, "officer" },
        { "POST", "/api/cases/{case}/close", Close, "officer" },
        { "POST", "/api/cases/{case}/reopen", Reason, "officer" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_command_on_a_stale_version_is_409_with_the_current_version_and_changes_nothing(
        string method, string path, string? body, string role)
    {
        var before = await VersionAsync();
        var problem = await triage.As(User(role), role)
            .SendAsync(method, triage.Path(path), body, ifMatch: $"\"{before + 7}\"")
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(before);
        (await VersionAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string, int, string> BadRequests()
    {
        var missingEconomic = TriageBodies.Scores(0, 1, 0, 0, 0);
        missingEconomic.Remove("economic");
        return new()
        {
            { "/api/cases/{case}/assessment", new JsonObject { ["scores"] = TriageBodies.Scores(0, 4, 0, 0,
                0) }.ToJsonString(),
                "officer", 400, "scores.physical" },
            { "/api/cases/{case}/assessment", new JsonObject { ["scores"] = missingEconomic }.ToJsonString(),
                "officer", 400, "scores.economic" },
            { "/api/cases/{case}/assessment", "{}", "officer", 400, "scores" },
            { "/api/cases/{case}/assessment", """{"scores":{"physical":"high"}}""", "officer", 400, "scores.physical" },
            { "/api/cases/{case}/assessment/override", """{"level":"critical","reason":"short"}""",
                "supervisor", 400, "reason" },
            { "/api/cases/{case}/assessment/override", TriageBodies.Override("extreme").ToJsonString(),
                "supervisor", 400, "level" },
            { "/api/cases/{case}/assignment", """{"officer":"Olivia Officer!"}""", "supervisor", 400, "officer" },
            { "/api/cases/{case}/plan/measures", Replace(TriageBodies.Measure(), "type", "Safe House"),
                "officer", 400, "type" },
            { "/api/cases/{case}/plan/measures", TriageBodies.Measure(dueInDays: -3).ToJsonString(), "officer", 422,
                "dueOn" },
            { "/api/cases/{case}/plan/measures", TriageBodies.Measure(dueInDays: 3 * 366).ToJsonString(),
                "officer", 422, "dueOn" },
            { "/api/cases/{case}/plan/measures/{measure}/cancel", """{"reason":"x"}""", "officer", 400, "reason" },
            { "/api/cases/{case}/close", "{}", "officer", 400, "outcome" },
            { "/api/cases/{case}/close", """{"outcome":"solved"}""", "officer", 400, "outcome" },
            { "/api/cases/{case}/reopen", "{}", "officer", 400, "reason" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_body_is_refused_naming_the_field_and_changes_nothing(
        string path, string body, string role, int status, string field)
    {
        var before = await VersionAsync();
        await triage.As(User(role), role).SendAsync("POST", triage.Path(path), body)
            .ShouldBeProblem((HttpStatusCode)status, field);
        var after = await ViewAsync();
        after.GetProperty("version").GetInt64().ShouldBe(before);
        after.GetProperty("assessment").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Theory]
    [InlineData("/api/triage/queue?risk=extreme", "risk")]
    [InlineData("/api/triage/queue?page=0", "page")]
    public Task A_bad_queue_filter_is_422_naming_it(string path, string field) =>
        triage.As(TriageHost.Officer, "officer").SendAsync("GET", path)
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, field);

    /// <summary>The seeded case's officer for <c>officer</c>; any user of the role otherwise.</summary>
    private static string User(string role) => role == "officer" ? TriageHost.Officer : $"{role}-{Guid.NewGuid():N}";

    private static string Replace(JsonObject body, string member, string value)
    {
        body[member] = value;
        return body.ToJsonString();
    }

    private Task<System.Text.Json.JsonElement> ViewAsync() =>
        triage.As(TriageHost.Officer, "officer").SendAsync("GET", triage.Path("/api/cases/{case}/triage"))
            .ShouldBe(HttpStatusCode.OK);

    private async Task<long> VersionAsync() => (await ViewAsync()).GetProperty("version").GetInt64();
}
