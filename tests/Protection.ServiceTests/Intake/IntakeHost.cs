extern alias intake;

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Intake;

/// <summary>
/// The intake service in process, with one case opened by <see cref="Officer"/> and referred to organisation B
/// (<c>{referral}</c>, pending).
/// </summary>
public sealed class IntakeHost : ServiceHost<intake::Program>
{
    public const string Officer = "intake-officer";

    protected override string Name => "intake";

    /// <summary>The seeded case's referral to organisation B, waiting for its answer.</summary>
    public Guid ReferralId { get; private set; }

    protected override IEnumerable<(string Name, Guid Id)> Seeded => [("referral", ReferralId)];

    protected override async Task SeedAsync()
    {
        CaseId = await OpenAsync(As(Officer, "officer"));
        ReferralId = await ReferAsync(As(Officer, "officer"), CaseId, TestTokens.OrganisationB, "share");
    }

    /// <summary>A client for <paramref name="user"/> of <paramref name="organisation"/> in these roles.</summary>
    public HttpClient Of(string organisation, string user, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.Of(organisation, user, roles));
        return client;
    }

    /// <summary>Refers the case <paramref name="caseId"/> to <paramref name="organisation"/>; returns its id.</summary>
    public static async Task<Guid> ReferAsync(
        HttpClient caseworker, Guid caseId, string organisation, string kind, bool sharePersonalData = false)
    {
        var referred = await caseworker.SendAsync(
                "POST",
                $"/api/cases/{caseId}/referrals",
                IntakeBodies.Referral(organisation, kind, sharePersonalData).ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        return referred.GetProperty("referralId").GetGuid();
    }

    /// <summary>Opens a case with a defender unique to this call; returns its id.</summary>
    public static async Task<Guid> OpenAsync(HttpClient officer, JsonObject? body = null)
    {
        var created = await officer.SendAsync("POST", "/api/cases", (body ?? IntakeBodies.Case()).ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }
}

[CollectionDefinition(Name)]
public sealed class IntakeCollection : ICollectionFixture<IntakeHost>
{
    public const string Name = "intake service";
}

/// <summary>Request bodies in the words of intake's API.</summary>
public static class IntakeBodies
{
    public static JsonObject Case(string? fullName = null) => new()
    {
        ["defender"] = new JsonObject
        {
            ["fullName"] = fullName ?? $"Amina Testperson {Guid.NewGuid():N}"[..28],
            ["contacts"] = new JsonObject { ["phone"] = "+57 300 1234567", ["email"] = "amina@example.org" },
            ["location"] = new JsonObject { ["country"] = "CO", ["region"] = "Cauca",
                ["exactLocation"] = "Calle 5 #12-34" },
            ["familyMembers"] = new JsonArray(new JsonObject { ["name"] = "Yusuf Testperson",
                ["relationship"] = "son" }),
        },
        ["consent"] = new JsonObject
        {
            ["dataProcessing"] = true, ["shareWithFunders"] = true, ["shareWithRelocationHost"] = false,
        },
        ["threats"] = new JsonArray(Threat()),
    };

    public static JsonObject Threat(string? occurredOn = null) => new()
    {
        ["type"] = "physical",
        ["perpetrator"] = "nonStateArmedGroup",
        ["occurredOn"] = occurredOn ?? DaysAgo(2),
        ["country"] = "CO",
        ["region"] = "Cauca",
        ["description"] = "Men on motorbikes followed her home.",
        ["exactLocation"] = "Calle 5 #12-34",
    };

    /// <summary>A referral of a case; its reason is free text, read by the caseworkers and the receiver.</summary>
    public static JsonObject Referral(string to, string kind = "share", bool sharePersonalData = false) => new()
    {
        ["toOrganisation"] = to,
        ["kind"] = kind,
        ["reason"] = ReferralReason,
        ["sharePersonalData"] = sharePersonalData,
    };

    public const string ReferralReason = "They run the safe house network in Cauca she needs.";

    public static string DaysAgo(int days) => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-days))
        .ToString("yyyy-MM-dd");
}
