using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Assistance;

/// <summary>
/// Every endpoint of emergency assistance refuses whom and what it must, with problem details, and
/// writes nothing: the seeded grant and fund keep their versions.
/// </summary>
[Collection(AssistanceCollection.Name)]
public sealed class AssistanceRefusals(AssistanceHost assistance)
{
    private const string Fund = """{"name":"Rapid response","currency":"EUR","openingBalance":1000}""";
    private const string TopUp = """{"amount":100}""";
    private const string Grant = "grant";
    private const string Approve = """{"decision":"approve"}""";
    private const string Disburse = """{"amount":100}""";
    private const string Report = """{"spent":100,"summary":"Door and cameras bought and installed."}""";
    private const string Withdraw = """{"reason":"The defender found a safe ride."}""";

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "POST", "/api/funds", Fund },
        { "GET", "/api/funds", null },
        { "GET", "/api/funds/{fund}", null },
        { "POST", "/api/funds/{fund}/top-ups", TopUp },
        { "POST", "/api/cases/{case}/grants", Grant },
        { "GET", "/api/cases/{case}/grants", null },
        { "GET", "/api/grants", null },
        { "GET", "/api/grants/{grant}", null },
        { "POST", "/api/grants/{grant}/decisions", Approve },
        { "POST", "/api/grants/{grant}/disbursements", Disburse },
        { "POST", "/api/grants/{grant}/reports", Report },
        { "POST", "/api/grants/{grant}/withdrawal", Withdraw },
        { "GET", "/audit/cases/{case}/history", null },
        { "GET", "/audit/cases/{case}/verify", null },
        { "GET", "/audit/cases/{case}/access-log", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_token_an_endpoint_answers_401(string method, string path, string? body)
    {
        var before = await VersionsAsync();
        await assistance.Anonymous().SendAsync(method, assistance.Path(path), Body(body))
            .ShouldBeProblem(HttpStatusCode.Unauthorized);
        (await VersionsAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?, string> RolesThatMayNot => new()
    {
        { "POST", "/api/funds", Fund, "officer" },
        { "POST", "/api/funds", Fund, "auditor" },
        { "GET", "/api/funds", null, "officer" },
        { "GET", "/api/funds/{fund}", null, "supervisor" },
        { "POST", "/api/funds/{fund}/top-ups", TopUp, "officer" },
        { "POST", "/api/cases/{case}/grants", Grant, "funder" },
        { "POST", "/api/cases/{case}/grants", Grant, "auditor" },
        { "GET", "/api/cases/{case}/grants", null, "funder" },
        { "GET", "/api/grants", null, "auditor" },
        { "GET", "/api/grants/{grant}", null, "auditor" },
        { "POST", "/api/grants/{grant}/decisions", Approve, "officer" },
        { "POST", "/api/grants/{grant}/decisions", Approve, "supervisor" },
        { "POST", "/api/grants/{grant}/disbursements", Disburse, "officer" },
        { "POST", "/api/grants/{grant}/reports", Report, "funder" },
        { "POST", "/api/grants/{grant}/withdrawal", Withdraw, "funder" },
        { "GET", "/audit/cases/{case}/history", null, "officer" },
        { "GET", "/audit/cases/{case}/verify", null, "supervisor" },
        { "GET", "/audit/cases/{case}/access-log", null, "officer" },
    };

    [Theory]
    [MemberData(nameof(RolesThatMayNot))]
    public async Task A_role_that_may_not_is_refused_403_and_nothing_changes(
        string method, string path, string? body, string role)
    {
        var before = await VersionsAsync();
        await assistance.As($"{role}-{Guid.NewGuid():N}", role).SendAsync(method, assistance.Path(path), Body(body))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionsAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?> CaseworkerEndpoints => new()
    {
        { "POST", "/api/cases/{case}/grants", Grant },
        { "GET", "/api/cases/{case}/grants", null },
        { "GET", "/api/grants/{grant}", null },
        { "POST", "/api/grants/{grant}/reports", Report },
        { "POST", "/api/grants/{grant}/withdrawal", Withdraw },
    };

    [Theory]
    [MemberData(nameof(CaseworkerEndpoints))]
    public async Task Another_officer_is_refused_the_case_and_its_grants_403(string method, string path, string? body)
    {
        var before = await VersionsAsync();
        await assistance.As($"officer-{Guid.NewGuid():N}", "officer").SendAsync(method, assistance.Path(path),
            Body(body))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Nobody_decides_on_a_grant_they_requested_403_even_as_a_funder()
    {
        var before = await VersionsAsync();
        await assistance.As(AssistanceHost.Officer, "officer", "funder")
            .SendAsync("POST", assistance.Path("/api/grants/{grant}/decisions"), Approve)
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionsAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?, string> Unknown => new()
    {
        { "GET", "/api/funds/{unknown}", null, "funder" },
        { "POST", "/api/funds/{unknown}/top-ups", TopUp, "funder" },
        { "POST", "/api/cases/{unknown}/grants", Grant, "officer" },
        { "GET", "/api/cases/{unknown}/grants", null, "officer" },
        { "GET", "/api/grants/{unknown}", null, "funder" },
        { "POST", "/api/grants/{unknown}/decisions", Approve, "funder" },
        { "POST", "/api/grants/{unknown}/disbursements", Disburse, "funder" },
        { "POST", "/api/grants/{unknown}/reports", Report, "officer" },
        { "POST", "/api/grants/{unknown}/withdrawal", Withdraw, "officer" },
    };

    [Theory]
    [MemberData(nameof(Unknown))]
    public async Task An_unknown_fund_case_or_grant_is_404(string method, string path, string? body, string role)
    {
        var before = await VersionsAsync();
        await assistance.As(User(role), role).SendAsync(method, assistance.Path(path), Body(body))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await VersionsAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string> Commands => new()
    {
        { "/api/grants/{grant}/decisions", Approve, "funder" },
        { "/api/grants/{grant}/disbursements", Disburse, "funder" },
        { "/api/grants/{grant}/reports", Report, "officer" },
        { "/api/grants/{grant}/withdrawal", Withdraw, "officer" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_command_on_a_stale_version_is_409_with_the_current_version_and_changes_nothing(
        string path, string body, string role)
    {
        var before = await VersionsAsync();
        var problem = await assistance.As(User(role), role)
            .SendAsync("POST", assistance.Path(path), body, ifMatch: $"\"{before.Grant + 4}\"")
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(before.Grant);
        (await VersionsAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string, int, string> BadRequests() => new()
    {
        { "/api/cases/{case}/grants", With("amount", -5), "officer", 400, "amount" },
        { "/api/cases/{case}/grants", With("category", "bribes"), "officer", 400, "category" },
        { "/api/cases/{case}/grants", With("purpose", "money"), "officer", 400, "purpose" },
        { "/api/cases/{case}/grants", With("fundId", Guid.NewGuid()), "officer", 422, "fundId" },
        { "/api/cases/{case}/grants", With("currency", "USD"), "officer", 422, "currency" },
        { "/api/cases/{case}/grants", With("amount", 10_000.01m), "officer", 422, "amount" },
        { "/api/cases/{case}/grants", With("amount", 10.001m), "officer", 400, "amount" },
        { "/api/funds", """{"name":"x","currency":"euro","openingBalance":10}""", "funder", 400, "currency" },
        { "/api/funds/{fund}/top-ups", """{"amount":0}""", "funder", 400, "amount" },
        { "/api/grants/{grant}/decisions", """{"decision":"reject"}""", "funder", 422, "reason" },
        { "/api/grants/{grant}/decisions", """{"decision":"approve","amount":600}""", "funder", 422, "amount" },
        { "/api/grants/{grant}/decisions", """{"decision":"maybe"}""", "funder", 400, "decision" },
        { "/api/grants/{grant}/disbursements", """{"amount":0}""", "funder", 400, "amount" },
        { "/api/grants/{grant}/reports", """{"spent":-1,"summary":"Door and cameras bought."}""", "officer", 400,
            "spent" },
        { "/api/grants/{grant}/reports", """{"spent":1,"summary":"Door."}""", "officer", 400, "summary" },
        { "/api/grants/{grant}/withdrawal", """{"reason":"x"}""", "officer", 400, "reason" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_body_is_refused_naming_the_field_and_writes_nothing(
        string path, string body, string role, int status, string field)
    {
        var before = await VersionsAsync();
        var grants = await CaseGrantsAsync();
        await assistance.As(User(role), role).SendAsync("POST", assistance.Path(path), Body(body))
            .ShouldBeProblem((HttpStatusCode)status, field);
        (await VersionsAsync()).ShouldBe(before);
        (await CaseGrantsAsync()).ShouldBe(grants);
    }

    [Fact]
    public Task A_bad_status_filter_is_422_naming_it() =>
        assistance.As(AssistanceHost.Funder, "funder").SendAsync("GET", "/api/grants?status=lost")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "status");

    /// <summary>The seeded case's officer and fund's funder for those roles; any user of the role otherwise.</summary>
    private static string User(string role) => role switch
    {
        "officer" => AssistanceHost.Officer,
        "funder" => AssistanceHost.Funder,
        _ => $"{role}-{Guid.NewGuid():N}",
    };

    /// <summary>A grant request on the seeded fund for <see cref="Grant"/>; the body as written otherwise.</summary>
    private string? Body(string? body) =>
        body == Grant ? AssistanceBodies.Grant(assistance.FundId, 100m).ToJsonString()
        : body is null ? null
        : assistance.Path(body);

    private static string With(string member, JsonNode value)
    {
        var body = AssistanceBodies.Grant(Guid.Empty, 100m);
        body[member] = value;
        return body.ToJsonString().Replace(Guid.Empty.ToString(), "{fund}", StringComparison.Ordinal);
    }

    private async Task<(long Grant, long Fund)> VersionsAsync()
    {
        var funder = assistance.As(AssistanceHost.Funder, "funder");
        var grant = await funder.SendAsync("GET", assistance.Path("/api/grants/{grant}")).ShouldBe(HttpStatusCode.OK);
        var fund = await funder.SendAsync("GET", assistance.Path("/api/funds/{fund}")).ShouldBe(HttpStatusCode.OK);
        return (grant.GetProperty("version").GetInt64(), fund.GetProperty("version").GetInt64());
    }

    private async Task<int> CaseGrantsAsync() =>
        (await assistance.As(AssistanceHost.Officer, "officer").SendAsync("GET",
            assistance.Path("/api/cases/{case}/grants"))
            .ShouldBe(HttpStatusCode.OK)).GetArrayLength();
}
