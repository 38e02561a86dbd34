extern alias intake;

using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Intake;

/// <summary>The intake service in process, with one case opened by <see cref="Officer"/>.</summary>
public sealed class IntakeHost : ServiceHost<intake::Program>
{
    public const string Officer = "intake-officer";

    protected override string Name => "intake";

    protected override async Task SeedAsync() => CaseId = await OpenAsync(As(Officer, "officer"));

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

    public static string DaysAgo(int days) => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-days))
        .ToString("yyyy-MM-dd");
}
