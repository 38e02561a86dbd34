using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// A case taken through all four services, each of which keeps a text naming the defender: opened and
/// assessed (a note), an urgent-relocation grant (its purpose) approved and paid, a relocation (its security
/// plan) funded, moved and checked in (a note); read by its officer and refused to a stranger.
/// <see cref="Midway"/> lies between the assessment and the grant, for time travel.
/// </summary>
internal sealed record FourStages(
    HttpClient Officer,
    HttpClient Auditor,
    string OfficerId,
    string FunderId,
    string StrangerId,
    Cases.Defender Defender,
    Guid CaseId,
    Guid GrantId,
    string RelocationPath,
    DateTimeOffset Midway)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<ProtectionSystem, FourStages> Told = [];

    /// <summary>One such case per system, for the tests that only read it.</summary>
    public static async Task<FourStages> SharedAsync(ProtectionSystem system)
    {
        await Gate.WaitAsync();
        try
        {
            if (!Told.TryGetValue(system, out var story))
            {
                Told[system] = story = await TellAsync(system);
            }

            return story;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A new such case, for a test that changes it.</summary>
    public static async Task<FourStages> TellAsync(ProtectionSystem system)
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var funderId = $"funder-{Guid.NewGuid():N}";
        var strangerId = $"officer-{Guid.NewGuid():N}";
        var officer = await system.SignedInAs(officerId, "officer");
        using var funder = await system.SignedInAs(funderId, "funder");
        var auditor = await system.SignedInAs($"auditor-{Guid.NewGuid():N}", "auditor");
        using var stranger = await system.SignedInAs(strangerId, "officer");
        var defender = Cases.Defender.Unique();

        // Intake and triage: a physical threat three days ago (high), then an assessment whose note names the defender.
        var (caseId, _) = await officer.OpenAsync(defender, Cases.Threat(defender, "physical", daysAgo: 3));
        await officer.WaitForTriageAsync(caseId);
        await officer.PostAsJsonAsync($"/api/cases/{caseId}/assessment", new JsonObject
        {
            ["scores"] = Triage.Scores(2, 2, 1, 1, 2),
            ["notes"] = new JsonObject { ["physical"] = $"{defender.FullName} was followed home twice." },
        }).OkJson();
        await officer.WaitForAsync($"/api/cases/{caseId}", c => Text(c, "risk") == "high"
            && Text(c, "stage") == "triage" && c.GetProperty("triageDueAt").ValueKind == JsonValueKind.Null,
            "intake to note the assessment");
        var midway = await MomentAfterLatestEventAsync(system, caseId);

        // Emergency assistance: an urgent-relocation grant whose purpose names the defender, approved.
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var fundId = await funder.CreateFundAsync(10_000m);
        var grant = Funds.GrantBody(fundId, 3_000m, "urgentRelocation");
        grant["purpose"] = $"Bus tickets for {defender.FullName} and her son.";
        var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants", grant);
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var grantId = (await requested.Json()).GetProperty("id").GetGuid();
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" }).OkJson();

        // Relocation: requested, planned (the security plan names the defender), funded by the paid grant,
        // moved, checked in.
        await officer.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");
        var relocation = await officer.PostAsJsonAsync(
            $"/api/cases/{caseId}/relocations", RelocationTests.RelocationBody("inCountrySafeHouse"));
        relocation.StatusCode.ShouldBe(HttpStatusCode.Created, await relocation.Content.ReadAsStringAsync());
        var relocationPath = $"/api/relocations/{(await relocation.Json()).GetProperty("id").GetGuid()}";
        var plan = RelocationTests.PlanBody("CO");
        plan["securityPlan"] = $"{defender.FullName} travels at night with a companion.";
        await officer.PostAsJsonAsync($"{relocationPath}/plan", plan).OkJson();
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 3_000m }).OkJson();
        await officer.WaitForAsync(relocationPath, r => Text(r, "state") == "funded",
            "the paid grant to fund the relocation");
        await officer.PostAsync($"{relocationPath}/depart", null).OkJson();
        await officer.PostAsync($"{relocationPath}/arrive", null).OkJson();
        await officer.PostAsJsonAsync($"{relocationPath}/check-ins",
            new { status = "safe", note = $"{defender.FullName} is settled." }).OkJson();
        await officer.WaitForAsync($"/api/cases/{caseId}", c => Text(c, "stage") == "relocation",
            "intake's stage to become relocation");

        // Reads the access log must show: the officer's own (with personal data) and a refused stranger's.
        var caseFile = await officer.GetAsync($"/api/cases/{caseId}").OkJson();
        caseFile.GetRawText().ShouldContain(defender.FullName); // the officer sees it: searches for it are meaningful
        (await stranger.GetAsync($"/api/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        return new FourStages(
            officer, auditor, officerId, funderId, strangerId, defender, caseId, grantId, relocationPath, midway);
    }

    /// <summary>
    /// A moment strictly between what was committed before and what is committed after: just after the case's
    /// latest event in the merged history, returned once this machine's clock (the stores' clock too) has
    /// passed it. Read by a supervisor, so that the auditors' reads in the access log stay the tests' own.
    /// </summary>
    private static async Task<DateTimeOffset> MomentAfterLatestEventAsync(ProtectionSystem system, Guid caseId)
    {
        using var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        var history = await supervisor.GetAsync($"/api/cases/{caseId}/history").OkJson();
        var latest = history.GetProperty("entries").EnumerateArray().Max(e => e.GetProperty("at").GetDateTimeOffset());
        var moment = latest + TimeSpan.FromMilliseconds(1);
        await Eventually.Get(
            () => Task.FromResult(DateTimeOffset.UtcNow > moment ? "passed" : null), TimeSpan.FromSeconds(5),
            "this machine's clock to pass the moment");
        return moment;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
