extern alias triage;

using System.Net;
using System.Text.Json.Nodes;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// The triage service in process. It learns of cases from intake's <c>CaseOpened</c>, handed to its
/// consumer here; the seeded case is <see cref="Officer"/>'s and has one open measure.
/// </summary>
public sealed class TriageHost : ServiceHost<triage::Program>
{
    public const string Officer = "triage-officer";

    protected override string Name => "triage";

    public Guid CaseId { get; private set; }

    public Guid MeasureId { get; private set; }

    /// <summary>
    /// <paramref name="template"/> with <c>{case}</c>, <c>{measure}</c> (the seeded ones) and <c>{unknown}</c>
    /// (no such case or measure) filled in.
    /// </summary>
    public string Path(string template) => template
        .Replace("{case}", CaseId.ToString(), StringComparison.Ordinal)
        .Replace("{measure}", MeasureId.ToString(), StringComparison.Ordinal)
        .Replace("{unknown}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

    protected override async Task SeedAsync()
    {
        CaseId = await CaseOfAsync(Officer);
        var added = await As(Officer, "officer")
            .SendAsync("POST", $"/api/cases/{CaseId}/plan/measures", TriageBodies.Measure().ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        MeasureId = added.GetProperty("measureId").GetGuid();
    }

    /// <summary>A case intake opened for <paramref name="officer"/>, taken in by triage; returns its id.</summary>
    public async Task<Guid> CaseOfAsync(string officer)
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(Facts.CaseOpened(id, officer));
        return id;
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
