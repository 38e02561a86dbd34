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
    private const string Consent = """{"shareWithFunders":false,"shareWithRelocationHost":true}""";
    private static readonly string Referral = IntakeBodies.Referral("org-c").ToJsonString();
    private const string Decline = """{"reason":"We have no capacity in Cauca."}""";

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "POST", "/api/cases", Case },
        { "GET", "/api/cases", null },
        { "GET", "/api/cases/{case}", null },
        { "POST", "/api/cases/{case}/threats", Threat },
        { "POST", "/api/cases/{case}/erasure", Erasure },
        { "GET", "/api/cases/{case}/erasure", null },
        { "PUT", "/api/cases/{case}/consent", Consent },
        { "POST", "/api/cases/{case}/referrals", Referral },
        { "POST", "/api/cases/{case}/referrals/{referral}/acceptance", null },
        { "POST", "/api/cases/{case}/referrals/{referral}/decline", Decline },
        { "POST", "/api/cases/{case}/referrals/{referral}/revocation", null },
        { "GET", "/api/referrals", null },
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
        { "GET", "/api/cases/{case}/erasure", null, "officer" },
        { "GET", "/api/cases/{case}/erasure", null, "auditor" },
        { "PUT", "/api/cases/{case}/consent", Consent, "auditor" },
        { "PUT", "/api/cases/{case}/consent", Consent, "admin" },
        { "POST", "/api/cases/{case}/referrals", Referral, "funder" },
        { "POST", "/api/cases/{case}/referrals/{referral}/acceptance", null, "auditor" },
        { "POST", "/api/cases/{case}/referrals/{referral}/decline", Decline, "funder" },
        { "POST", "/api/cases/{case}/referrals/{referral}/revocation", null, "auditor" },
        { "GET", "/api/referrals", null, "funder" },
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
        { "PUT", "/api/cases/{case}/consent", Consent },
        { "POST", "/api/cases/{case}/referrals", Referral },
        { "POST", "/api/cases/{case}/referrals/{referral}/revocation", null },
        // The referral is to organisation B: an officer of the owner does not answer it.
        { "POST", "/api/cases/{case}/referrals/{referral}/acceptance", null },
        { "POST", "/api/cases/{case}/referrals/{referral}/decline", Decline },
    };

    public static TheoryData<string, string, string?, string> Unknown => new()
    {
        { "GET", "/api/cases/{unknown}", null, "officer" },
        { "POST", "/api/cases/{unknown}/threats", Threat, "officer" },
        { "POST", "/api/cases/{unknown}/erasure", Erasure, "admin" },
        { "GET", "/api/cases/{unknown}/erasure", null, "admin" },
        { "PUT", "/api/cases/{unknown}/consent", Consent, "officer" },
        { "POST", "/api/cases/{unknown}/referrals", Referral, "officer" },
        { "POST", "/api/cases/{unknown}/referrals/{referral}/acceptance", null, "supervisor" },
        { "POST", "/api/cases/{unknown}/referrals/{referral}/decline", Decline, "supervisor" },
        { "POST", "/api/cases/{case}/referrals/{unknown}/revocation", null, "officer" },
        { "GET", "/audit/cases/{unknown}/history", null, "auditor" },
        { "GET", "/audit/cases/{unknown}/verify", null, "auditor" },
        { "GET", "/audit/cases/{unknown}/access-log", null, "auditor" },
    };

    /// <summary>
    /// The POSTs of the case's caseworker that honour <c>If-Match</c> (erasure takes none); the consent's PUT
    /// and the receiver's steps are in <see cref="IntakeReferrals"/>.
    /// </summary>
    public static TheoryData<string, string?, string> Commands => new()
    {
        { "/api/cases/{case}/threats", Threat, "officer" },
        { "/api/cases/{case}/referrals", Referral, "officer" },
        { "/api/cases/{case}/referrals/{referral}/revocation", null, "officer" },
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
        { "PUT", "/api/cases/{case}/consent", """{"shareWithRelocationHost":true}""", "officer", 400,
            "shareWithFunders" },
        { "POST", "/api/cases/{case}/referrals", IntakeBodies.Referral("org-a").ToJsonString(), "officer", 422,
            "toOrganisation" },
        { "POST", "/api/cases/{case}/referrals", IntakeBodies.Referral("org-b").ToJsonString(), "officer", 422,
            "toOrganisation" },
        { "POST", "/api/cases/{case}/referrals", IntakeBodies.Referral("org-c", kind: "gift").ToJsonString(),
            "officer", 400, "kind" },
        { "POST", "/api/cases/{case}/referrals", IntakeBodies.Referral(new string('o', 101)).ToJsonString(),
            "officer", 400, "toOrganisation" },
        { "POST", "/api/cases/{case}/referrals", Without(IntakeBodies.Referral("org-c"), "sharePersonalData"),
            "officer", 400, "sharePersonalData" },
        { "POST", "/api/cases/{case}/referrals", Without(IntakeBodies.Referral("org-c"), "reason"), "officer", 400,
            "reason" },
        { "POST", "/api/cases/{case}/referrals/{referral}/decline",
            new JsonObject { ["reason"] = new string('r', 2001) }.ToJsonString(), "supervisor", 400, "reason" },
        { "GET", "/api/referrals?status=lost", null, "supervisor", 422, "status" },
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
