extern alias triage;

using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// The triage service in process. It learns of cases from intake's <c>CaseOpened</c>, handed to its
/// consumer here; the seeded case is <see cref="Officer"/>'s and has one open measure.
/// </summary>
public sealed class TriageHost : DownstreamHost<triage::Program>
{
    public const string Officer = "triage-officer";

    protected override string Name => "triage";

    public Guid MeasureId { get; private set; }

    protected override IEnumerable<(string Name, Guid Id)> Seeded => [("measure", MeasureId)];

    protected override async Task SeedAsync()
    {
        CaseId = await CaseOfAsync(Officer);
        var added = await As(Officer, "officer")
            .SendAsync("POST", $"/api/cases/{CaseId}/plan/measures", TriageBodies.Measure().ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        MeasureId = added.GetProperty("measureId").GetGuid();
    }
}

[CollectionDefinition(Name)]
public sealed class TriageCollection : ICollectionFixture<TriageHost>
{
    public const string Name = "triage service";
}

/// <summary>Request bodies in the words of triage's API.</summary>
public static class TriageBodies
{
    public static JsonObject Scores(int emotionalCognitive, int physical, int spiritual, int economic,
        int political) => new()
    {
        ["emotionalCognitive"] = emotionalCognitive,
        ["physical"] = physical,
        ["spiritual"] = spiritual,
        ["economic"] = economic,
        ["political"] = political,
    };

    public static JsonObject Assessment(int physical = 1) => new() { ["scores"] = Scores(1, physical, 0, 1, 1) };

    public static JsonObject Override(string level = "critical") =>
        new() { ["level"] = level, ["reason"] = "Seen near her home again by the same men." };

    public static JsonObject Measure(string area = "threatsOnTheGround", int dueInDays = 10) => new()
    {
        ["area"] = area,
        ["type"] = "safe-house",
        ["owner"] = "partner-1",
        ["dueOn"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(dueInDays)).ToString("yyyy-MM-dd"),
    };

    public static JsonObject Reason(string reason = "Circumstances changed.") => new() { ["reason"] = reason };

    public static JsonObject Close(string outcome = "riskReduced") => new() { ["outcome"] = outcome };
}
