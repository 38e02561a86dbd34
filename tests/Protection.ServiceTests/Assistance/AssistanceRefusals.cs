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
    : Refusals<AssistanceRefusals, AssistanceHost>(assistance), IRefusalTables
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
        { "GET", "/api/funds/choices", null },
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

    public static TheoryData<string, string, string?, string> RolesThatMayNot => new()
    {
        { "POST", "/api/funds", Fund, "officer" },
        { "POST", "/api/funds", Fund, "auditor" },
        { "GET", "/api/funds", null, "officer" },
        { "GET", "/api/funds/choices", null, "auditor" },
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

    public static TheoryData<string, string, string?> CaseworkerEndpoints => new()
    {
        { "POST", "/api/cases/{case}/grants", Grant },
        { "GET", "/api/cases/{case}/grants", null },
        { "GET", "/api/grants/{grant}", null },
        { "POST", "/api/grants/{grant}/reports", Report },
        { "POST", "/api/grants/{grant}/withdrawal", Withdraw },
    };

    [Fact]
    public Task Nobody_decides_on_a_grant_they_requested_403_even_as_a_funder() =>
        RefusedAsync(Host.As(AssistanceHost.Officer, "officer", "funder"), "POST", "/api/grants/{grant}/decisions",
            Approve, HttpStatusCode.Forbidden);

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

    public static TheoryData<string, string?, string> Commands => new()
    {
        { "/api/grants/{grant}/decisions", Approve, "funder" },
        { "/api/grants/{grant}/disbursements", Disburse, "funder" },
        { "/api/grants/{grant}/reports", Report, "officer" },
        { "/api/grants/{grant}/withdrawal", Withdraw, "officer" },
    };

    public static TheoryData<string, string, string?, string, int, string> BadRequests => new()
    {
        { "POST", "/api/cases/{case}/grants", With("amount", -5), "officer", 400, "amount" },
        { "POST", "/api/cases/{case}/grants", With("category", "bribes"), "officer", 400, "category" },
        { "POST", "/api/cases/{case}/grants", With("purpose", "money"), "officer", 400, "purpose" },
        { "POST", "/api/cases/{case}/grants", With("fundId", Guid.NewGuid()), "officer", 422, "fundId" },
        { "POST", "/api/cases/{case}/grants", With("currency", "USD"), "officer", 422, "currency" },
        { "POST", "/api/cases/{case}/grants", With("amount", 10_000.01m), "officer", 422, "amount" },
        { "POST", "/api/cases/{case}/grants", With("amount", 10.001m), "officer", 400, "amount" },
        { "POST", "/api/funds", """{"name":"x","currency":"euro","openingBalance":10}""", "funder", 400,
            "currency" },
        { "POST", "/api/funds/{fund}/top-ups", """{"amount":0}""", "funder", 400, "amount" },
        { "POST", "/api/grants/{grant}/decisions", """{"decision":"reject"}""", "funder", 422, "reason" },
        { "POST", "/api/grants/{grant}/decisions", """{"decision":"approve","amount":600}""", "funder", 422,
            "amount" },
        { "POST", "/api/grants/{grant}/decisions", """{"decision":"maybe"}""", "funder", 400, "decision" },
        { "POST", "/api/grants/{grant}/disbursements", """{"amount":0}""", "funder", 400, "amount" },
        { "POST", "/api/grants/{grant}/reports", """{"spent":-1,"summary":"Door and cameras bought."}""", "officer",
            400, "spent" },
        { "POST", "/api/grants/{grant}/reports", """{"spent":1,"summary":"Door."}""", "officer", 400, "summary" },
        { "POST", "/api/grants/{grant}/withdrawal", """{"reason":"x"}""", "officer", 400, "reason" },
    };

    [Fact]
    public Task A_bad_status_filter_is_422_naming_it() =>
        Host.As(AssistanceHost.Funder, "funder").SendAsync("GET", "/api/grants?status=lost")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "status");

    [Fact]
    public Task A_bad_report_filter_is_422_naming_it() =>
        Host.As(AssistanceHost.Funder, "funder").SendAsync("GET", "/api/grants?report=lost")
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "report");

    protected override string CaseOfficer => AssistanceHost.Officer;

    /// <summary>The seeded case's officer and fund's funder for those roles; any user of the role otherwise.</summary>
    protected override string User(string role) => role == "funder" ? AssistanceHost.Funder : base.User(role);

    /// <summary>
    /// A grant request on the seeded fund for <see cref="Grant"/>; otherwise the body with the seeded ids
    /// (<c>{fund}</c>) filled in.
    /// </summary>
    protected override string? Body(string? body) =>
        body == Grant ? AssistanceBodies.Grant(Host.FundId, 100m).ToJsonString()
        : body is null ? null
        : Host.Path(body);

    private static string With(string member, JsonNode value)
    {
        var body = AssistanceBodies.Grant(Guid.Empty, 100m);
        body[member] = value;
        return body.ToJsonString().Replace(Guid.Empty.ToString(), "{fund}", StringComparison.Ordinal);
    }

    /// <summary>The seeded grant's version: the one its commands' <c>If-Match</c> is checked against.</summary>
    protected override Task<long> VersionAsync() => VersionOfAsync("/api/grants/{grant}");

    /// <summary>The seeded grant's and fund's versions and how many grants the seeded case has.</summary>
    protected override async Task<object> StateAsync()
    {
        var grants = await As("officer").SendAsync("GET", Host.Path("/api/cases/{case}/grants"))
            .ShouldBe(HttpStatusCode.OK);
        return (await VersionAsync(), await VersionOfAsync("/api/funds/{fund}"), grants.GetArrayLength());
    }

    private async Task<long> VersionOfAsync(string path) =>
        (await As("funder").SendAsync("GET", Host.Path(path)).ShouldBe(HttpStatusCode.OK)).GetProperty("version")
            .GetInt64();
}
