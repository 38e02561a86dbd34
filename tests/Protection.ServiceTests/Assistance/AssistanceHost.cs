extern alias assistance;

using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Assistance;

/// <summary>
/// The emergency-assistance service in process. It learns of cases from intake's <c>CaseOpened</c>,
/// handed to its consumer here. Seeded: <see cref="Officer"/>'s case, a fund of 100,000 EUR and a
/// pending grant of 500 EUR requested on the case.
/// </summary>
public sealed class AssistanceHost : DownstreamHost<assistance::Program>
{
    public const string Officer = "assistance-officer";
    public const string Funder = "assistance-funder";

    protected override string Name => "assist";

    public Guid FundId { get; private set; }

    public Guid GrantId { get; private set; }

    protected override IEnumerable<(string Name, Guid Id)> Seeded => [("fund", FundId), ("grant", GrantId)];

    protected override async Task SeedAsync()
    {
        CaseId = await CaseOfAsync(Officer);
        FundId = await FundAsync(100_000m);
        GrantId = await GrantAsync(As(Officer, "officer"), CaseId, FundId, 500m);
    }

    public async Task<Guid> FundAsync(decimal openingBalance)
    {
        var body = new JsonObject
        {
            ["name"] = $"Rapid response {Guid.NewGuid():N}"[..30], ["currency"] = "EUR",
                ["openingBalance"] = openingBalance,
        };
        var fund = await As(Funder, "funder").SendAsync("POST", "/api/funds", body.ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        return fund.GetProperty("id").GetGuid();
    }

    public static async Task<Guid> GrantAsync(
        HttpClient officer, Guid caseId, Guid fundId, decimal amount, string category = "legal")
    {
        var grant = await officer
            .SendAsync("POST", $"/api/cases/{caseId}/grants", AssistanceBodies.Grant(fundId, amount, category)
                .ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        return grant.GetProperty("id").GetGuid();
    }
}

[CollectionDefinition(Name)]
public sealed class AssistanceCollection : ICollectionFixture<AssistanceHost>
{
    public const string Name = "emergency assistance service";
}

/// <summary>Request bodies in the words of emergency assistance's API.</summary>
public static class AssistanceBodies
{
    public static JsonObject Grant(Guid fundId, decimal amount, string category = "legal", string currency = "EUR") =>
        new()
    {
        ["fundId"] = fundId,
        ["amount"] = amount,
        ["currency"] = currency,
        ["category"] = category,
        ["purpose"] = "Reinforced door and a panic button for the family home.",
        ["peopleCovered"] = 3,
    };
}
