extern alias relocation;

using System.Net;
using System.Text.Json.Nodes;
using Protection.Contracts.Assistance;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Relocation;

/// <summary>
/// The relocation service in process. It learns of cases from intake's <c>CaseOpened</c> and of money
/// from emergency assistance's <c>GrantDisbursed</c>, both handed to its consumers here. Seeded:
/// <see cref="Officer"/>'s case with a regional relocation requested (and nothing more).
/// </summary>
public sealed class RelocationHost : DownstreamHost<relocation::Program>
{
    public const string Officer = "relocation-officer";

    protected override string Name => "reloc";

    public Guid RelocationId { get; private set; }

    protected override IEnumerable<(string Name, Guid Id)> Seeded => [("relocation", RelocationId)];

    protected override async Task SeedAsync()
    {
        CaseId = await CaseOfAsync(Officer);
        RelocationId = await RequestAsync(As(Officer, "officer"), CaseId, "regional");
    }

    public static async Task<Guid> RequestAsync(HttpClient officer, Guid caseId, string kind)
    {
        var requested = await officer
            .SendAsync("POST", $"/api/cases/{caseId}/relocations", RelocationBodies.Request(kind).ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        return requested.GetProperty("id").GetGuid();
    }

    /// <summary>Emergency assistance paid an urgent-relocation grant for the case; returns the grant's id.</summary>
    public async Task<Guid> PayRelocationGrantAsync(Guid caseId)
    {
        var paid = Facts.GrantDisbursed(caseId, GrantCategory.UrgentRelocation, 3_000m);
        await DeliverAsync(paid);
        return paid.GrantId;
    }

    /// <summary>
    /// A relocation of <paramref name="kind"/> requested, planned and funded for a new case of <paramref
    /// name="officer"/>.
    /// </summary>
    public async Task<(Guid CaseId, Guid RelocationId)> FundedAsync(HttpClient officerClient, string officer,
        string kind)
    {
        var caseId = await CaseOfAsync(officer);
        var id = await RequestAsync(officerClient, caseId, kind);
        var country = kind == "inCountrySafeHouse" ? "CO" : kind == "international" ? "KE" : "EC";
        await officerClient.SendAsync("POST", $"/api/relocations/{id}/plan", RelocationBodies.Plan(country)
            .ToJsonString())
            .ShouldBe(HttpStatusCode.OK);
        await PayRelocationGrantAsync(caseId);
        return (caseId, id);
    }
}

[CollectionDefinition(Name)]
public sealed class RelocationCollection : ICollectionFixture<RelocationHost>
{
    public const string Name = "relocation service";
}

/// <summary>Request bodies in the words of relocation's API.</summary>
public static class RelocationBodies
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static JsonObject Request(string kind) => new()
    {
        ["kind"] = kind,
        ["reason"] = "increasedRisk",
        ["people"] = new JsonObject { ["familyMembers"] = 2, ["children"] = 1 },
    };

    public static JsonObject Plan(string country) => new()
    {
        ["destination"] = new JsonObject
        {
            ["country"] = country, ["city"] = country == "KE" ? "Nairobi" : country == "CO" ? "Bogotá" : "Quito",
        },
        ["hostOrganisation"] = "Shelter network partner",
        ["startOn"] = Today.ToString("yyyy-MM-dd"),
        ["securityPlan"] = "Night bus with a companion; new SIM on arrival; daily message to the officer.",
        ["visaPlan"] = "Humanitarian visa through the partner embassy programme.",
        ["returnStrategy"] = "Return once the armed group has left the area, reviewed monthly.",
    };

    public static JsonObject Extend(DateOnly endOn, string? reason = "Still unsafe at home.")
    {
        var body = new JsonObject { ["endOn"] = endOn.ToString("yyyy-MM-dd") };
        if (reason is not null)
        {
            body["reason"] = reason;
        }

        return body;
    }
}
