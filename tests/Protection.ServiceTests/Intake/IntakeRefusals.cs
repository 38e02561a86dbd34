using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Intake;

/// <summary>Every endpoint of intake refuses whom and what it must, with problem details, and writes nothing.</summary>
[Collection(IntakeCollection.Name)]
public sealed class IntakeRefusals(IntakeHost intake) : Refusals<IntakeRefusals, IntakeHost>(intake), IRefusalTables
{
    private static readonly string Case = IntakeBodies.Case().ToJsonString();
    private static readonly string Threat = IntakeBodies.Threat().ToJsonString();
    private const string Erasure = """{"basis":"defenderRequest"}""";

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "POST", "/api/cases", Case },
        { "GET", "/api/cases", null },
        { "GET", "/api/cases/{case}", null },
        { "POST", "/api/cases/{case}/threats", Threat },
        { "POST", "/api/cases/{case}/erasure", Erasure },
        { "GET", "/audit/cases/{case}/history", null },
        { "GET", "/audit/cases/{case}/verify", null },
        { "GET", "/audit/cases/{case}/access-log", null },
    };

    public static TheoryData<string, string, string?, string> RolesThatMayNot => new()
    {
        { "POST", "/api/cases", Case, "funder" },
        { "POST", "/api/cases", Case, "auditor" },
        { "GET", "/api/cases", null, "funder" },
        { "GET", "/api/cases/{case}", null, "funder" },
        { "GET", "/api/cases/{case}", null, "admin" },
        { "POST", "/api/cases/{case}/threats", Threat, "auditor" },
        { "POST", "/api/cases/{case}/erasure", Erasure, "officer" },
        { "POST", "/api/cases/{case}/erasure", Erasure, "supervisor" },
        { "GET", "/audit/cases/{case}/history", null, "officer" },
        { "GET", "/audit/cases/{case}/history", null, "admin" },
        { "GET", "/audit/cases/{case}/history?details=true", null, "supervisor" },
        { "GET", "/audit/cases/{case}/verify", null, "supervisor" },
        { "GET", "/audit/cases/{case}/access-log", null, "officer" },
    };

    public static TheoryData<string, string, string?> CaseworkerEndpoints => new()
    {
        { "GET", "/api/cases/{case}", null },
        { "POST", "/api/cases/{case}/threats", Threat },
    };

    public static TheoryData<string, string, string?, string> Unknown => new()
    {
        { "GET", "/api/cases/{unknown}", null, "officer" },
        { "POST", "/api/cases/{unknown}/threats", Threat, "officer" },
        { "POST", "/api/cases/{unknown}/erasure", Erasure, "admin" },
        { "GET", "/audit/cases/{unknown}/history", null, "auditor" },
        { "GET", "/audit/cases/{unknown}/verify", null, "auditor" },
        { "GET", "/audit/cases/{unknown}/access-log", null, "auditor" },
    };

    /// <summary>Reporting a threat is intake's one command that honours <c>If-Match</c> (erasure takes none).</summary>
    public static TheoryData<string, string?, string> Commands => new()
    {
        { "/api/cases/{case}/threats", Threat, "officer" },
    };

    protected override string CaseOfficer => IntakeHost.Officer;

    public static TheoryData<string, string, int, string> BadCases()
    {
        var data = new TheoryData<string, string, int, string>();
        void Add(string why, Action<JsonObject> spoil, int status, string field)
        {
            var body = IntakeBodies.Case();
            spoil(body);
            data.Add(why, body.ToJsonString(), status, field);
        }

        Add("no name", b => b["defender"]!.AsObject().Remove("fullName"), 400, "defender.fullName");
        Add("country not ISO", b => b["defender"]!["location"]!["country"] = "Colombia", 400,
            "defender.location.country");
        Add("bad email", b => b["defender"]!["contacts"]!["email"] = "not-an-email", 400, "defender.contacts.email");
        Add("no threats", b => b["threats"] = new JsonArray(), 400, "threats");
        Add("no consent", b => b.Remove("consent"), 400, "consent");
        Add("unknown threat type", b => b["threats"]![0]!["type"] = "rumour", 400, "threats[0].type");
        Add("threat type as number", b => b["threats"]![0]!["type"] = 3, 400, "threats[0].type");
        Add("date not a date", b => b["threats"]![0]!["occurredOn"] = "yesterday", 400, "threats[0].occurredOn");
        Add("no consent to record", b => b["consent"]!["dataProcessing"] = false, 422, "consent.dataProcessing");
        Add("threat in the future", b => b["threats"]![0]!["occurredOn"] = IntakeBodies.DaysAgo(-10), 422,
            "threats[0].occurredOn");
        // Tomorrow in Colombia (UTC−5), whatever the UTC time of the run.
        var tomorrowInColombia = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5)).AddDays(1).ToString("yyyy-MM-dd");
        Add("threat tomorrow in its country", b => b["threats"]![0]!["occurredOn"] = tomorrowInColombia, 422,
            "threats[0].occurredOn");
        Add("threat before 1900", b => b["threats"]![0]!["occurredOn"] = "0001-01-01", 422, "threats[0].occurredOn");
        data.Add("truncated JSON (named where it breaks)", "{\"defender\": ", 400, "defender");
        data.Add("not JSON at all", "defender=Amina", 400, "body");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public async Task A_bad_case_is_refused_naming_the_field_and_nothing_is_stored(
        string why, string body, int status, string field)
    {
        var officer = Host.As($"officer-{Guid.NewGuid():N}", "officer");
        await officer.SendAsync("POST", "/api/cases", body).ShouldBeProblem((HttpStatusCode)status, field);

        var list = await officer.SendAsync("GET", "/api/cases").ShouldBe(HttpStatusCode.OK);
        list.GetProperty("total").GetInt64().ShouldBe(0, why);
    }

    public static TheoryData<string, string, string?, string, int, string> BadRequests => new()
    {
        { "POST", "/api/cases/{case}/threats", Without(IntakeBodies.Threat(), "type"), "officer", 400, "type" },
        { "POST", "/api/cases/{case}/threats", IntakeBodies.Threat(IntakeBodies.DaysAgo(-10)).ToJsonString(),
            "officer", 422, "occurredOn" },
        { "GET", "/api/cases?stage=nowhere", null, "officer", 422, "stage" },
        { "GET", "/api/cases?pageSize=0", null, "officer", 422, "pageSize" },
        { "GET", "/api/cases/{case}?asOf=yesterday", null, "officer", 422, "asOf" },
        { "POST", "/api/cases/{case}/erasure", """{"basis":"becauseISaySo"}""", "admin", 400, "basis" },
        { "POST", "/api/cases/{case}/erasure", "{}", "admin", 400, "basis" },
        { "GET", "/audit/cases/{case}/history?asOf=last-tuesday", null, "auditor", 422, "asOf" },
    };

    private static string Without(JsonObject body, string member)
    {
        body.Remove(member);
        return body.ToJsonString();
    }

    /// <summary>The seeded case's version, as its officer reads it.</summary>
    protected override async Task<long> VersionAsync() =>
        (await As("officer").SendAsync("GET", Host.Path("/api/cases/{case}"))
            .ShouldBe(HttpStatusCode.OK)).GetProperty("version").GetInt64();
}
