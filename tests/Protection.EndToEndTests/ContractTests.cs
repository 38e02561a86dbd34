using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// The published OpenAPI documents tell the truth: every answer a client gets through the gateway,
/// refusals included, has its status listed for its operation and a body valid against the schema
/// listed for it. A walk over the routes (successes and the refusals each can give) is checked, and
/// with it every answer the other tests of the suite received before it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ContractTests(ProtectionSystem system)
{
    [Fact]
    public async Task The_documents_name_the_gateway_as_server_and_hold_no_internal_route()
    {
        var contract = await ApiContract.LoadAsync(system.Gateway);

        foreach (var (name, document) in contract.ByName)
        {
            document["servers"]![0]!["url"]!.GetValue<string>().ShouldBe(system.Gateway.BaseAddress!.AbsoluteUri, name);
            document["paths"]!.AsObject().Select(p => p.Key)
                .ShouldAllBe(p => p.StartsWith("/api/") || p.StartsWith("/auth/"));
            foreach (var (schema, value) in document["components"]?["schemas"]?.AsObject() ?? [])
            {
                (value!["enum"]?.AsArray() ?? []).ShouldNotContain(v => v == null, $"{name}: {schema} lists null");
            }
        }
    }

    [Fact]
    public async Task Every_answer_received_is_described_by_the_published_documents()
    {
        await WalkAsync();
        var contract = await ApiContract.LoadAsync(system.Gateway);

        var exchanges = system.Contract.Exchanges.ToArray();
        var violations = exchanges.SelectMany(contract.Violations).Distinct().ToArray();

        exchanges.Length.ShouldBeGreaterThan(60);
        violations.ShouldBeEmpty(string.Join(Environment.NewLine, violations));
    }

    /// <summary>Each route once or more, with the refusals it can give: 400, 401, 403, 404, 409, 413, 422.</summary>
    private async Task WalkAsync()
    {
        var anonymous = system.Gateway;
        await anonymous.PostAsJsonAsync("/auth/dev-token", new { user = "contract-x", roles = new[] { "wizard" } });
        await anonymous.PostAsJsonAsync("/auth/dev-token", new { user = "contract-x" });
        using var officer = await system.SignedInAs("contract-officer", "officer");
        using var other = await system.SignedInAs("contract-other", "officer");
        using var supervisor = await system.SignedInAs("contract-supervisor", "supervisor");
        using var funder = await system.SignedInAs("contract-funder", "funder");
        using var secondFunder = await system.SignedInAs("contract-funder-2", "funder");
        using var auditor = await system.SignedInAs("contract-auditor", "auditor");
        using var admin = await system.SignedInAs("contract-admin", "admin");

        // Intake.
        var (id, _) = await officer.OpenAsync(Cases.Defender.Unique());
        var unknown = Guid.NewGuid();
        var refusedConsent = Cases.OpenCaseBody(Cases.Defender.Unique());
        refusedConsent["consent"]!["dataProcessing"] = false;
        await officer.PostAsJsonAsync("/api/cases", refusedConsent);
        await officer.PostAsync("/api/cases", new StringContent("{\"defender\":", Encoding.UTF8, "application/json"));
        var huge = new StringContent(new string('x', 300 * 1024), Encoding.UTF8, "application/json");
        await officer.PostAsync("/api/cases", huge);
        await anonymous.GetAsync("/api/cases");
        await funder.GetAsync("/api/cases");
        await officer.GetAsync("/api/cases?pageSize=5");
        await officer.GetAsync("/api/cases?stage=nowhere");
        await officer.GetAsync($"/api/cases/{id}");
        await officer.GetAsync($"/api/cases/{id}?asOf=yesterday");
        await officer.GetAsync($"/api/cases/{unknown}");
        await other.GetAsync($"/api/cases/{id}");
        await officer.PostAsJsonAsync($"/api/cases/{id}/threats", Cases.ThreatBody(Cases.Defender.Unique()));
        var future = Cases.ThreatBody(Cases.Defender.Unique(), occurredOn: "2999-01-01");
        await officer.PostAsJsonAsync($"/api/cases/{id}/threats", future);
        using (var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{id}/threats"))
        {
            stale.Content = JsonContent.Create(Cases.ThreatBody(Cases.Defender.Unique()));
            stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            await officer.SendAsync(stale);
        }

        // Triage.
        await officer.WaitForTriageAsync(id);
        await officer.GetAsync($"/api/cases/{unknown}/triage");
        await officer.GetAsync("/api/triage/queue");
        await officer.GetAsync("/api/triage/queue?risk=extreme");
        await officer.PostAsJsonAsync($"/api/cases/{id}/assessment", Scores(1, 2, 0, 1, 2));
        await officer.PostAsJsonAsync($"/api/cases/{id}/assessment", Scores(9, 2, 0, 1, 2));
        await other.PostAsJsonAsync($"/api/cases/{id}/assessment", Scores(1, 2, 0, 1, 2));
        await supervisor.PostAsJsonAsync(
            $"/api/cases/{id}/assessment/override", new { level = "high", reason = "Contract walk." });
        await officer.PostAsJsonAsync(
            $"/api/cases/{id}/assessment/override", new { level = "high", reason = "Contract walk." });
        await supervisor.PostAsJsonAsync($"/api/cases/{id}/assignment", new { officer = "contract-officer" });
        await supervisor.PostAsJsonAsync($"/api/cases/{id}/assignment", new { officer = "contract-officer" });
        var measure = await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures", Measure(7));
        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures", Measure(-7));
        var measureId = (await measure.Json()).GetProperty("measureId").GetGuid();
        await officer.PostAsync($"/api/cases/{id}/plan/measures/{measureId}/complete", null);
        await officer.PostAsJsonAsync($"/api/cases/{id}/plan/measures/{measureId}/cancel", new { reason = "Done." });
        await officer.PostAsJsonAsync(
            $"/api/cases/{id}/plan/measures/{Guid.NewGuid()}/cancel", new { reason = "Unknown." });
        await officer.GetAsync($"/api/cases/{id}/triage");

        // Emergency assistance.
        var fundId = await funder.CreateFundAsync(50_000m);
        await funder.GetAsync("/api/funds");
        await officer.GetAsync("/api/funds/choices");
        await funder.GetAsync($"/api/funds/{fundId}");
        await funder.GetAsync($"/api/funds/{unknown}");
        await funder.PostAsJsonAsync($"/api/funds/{fundId}/top-ups", new { amount = 1_000m });
        await officer.PostAsJsonAsync("/api/funds", new { name = "x", currency = "EUR", openingBalance = 10 });
        var grant = await officer.PostAsJsonAsync($"/api/cases/{id}/grants", Funds.GrantBody(fundId, 2_000m, "legal"));
        await officer.PostAsJsonAsync($"/api/cases/{id}/grants", Funds.GrantBody(fundId, 10_000.01m, "legal"));
        await officer.PostAsJsonAsync($"/api/cases/{id}/grants", Funds.GrantBody(fundId, -5m, "legal"));
        var grantId = (await grant.Json()).GetProperty("id").GetGuid();
        await officer.GetAsync($"/api/cases/{id}/grants");
        await officer.GetAsync("/api/grants");
        await officer.GetAsync("/api/grants?status=lost");
        await officer.GetAsync($"/api/grants/{grantId}");
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "reject" });
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" });
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" });
        await secondFunder.PostAsJsonAsync($"/api/grants/{grantId}/decisions", new { decision = "approve" });
        await officer.PostAsJsonAsync($"/api/grants/{grantId}/reports", new { spent = 1m, summary = "Too early." });
        await funder.PostAsJsonAsync($"/api/grants/{grantId}/disbursements", new { amount = 2_000m });
        await officer.PostAsJsonAsync($"/api/grants/{grantId}/reports", new { spent = 5_000m, summary = "Too much." });
        await officer.PostAsJsonAsync($"/api/grants/{grantId}/reports", new { spent = 1_900m, summary = "Paid." });
        await officer.PostAsJsonAsync($"/api/grants/{grantId}/withdrawal", new { reason = "Paid already." });

        // Relocation.
        var relocations = $"/api/cases/{id}/relocations";
        await officer.PostAsJsonAsync(relocations, new { kind = "spaceStation", reason = "respite" });
        var relocation = await officer.PostAsJsonAsync(relocations, RelocationTests.RelocationBody("international"));
        await officer.PostAsJsonAsync(relocations, RelocationTests.RelocationBody("regional"));
        var path = $"/api/relocations/{(await relocation.Json()).GetProperty("id").GetGuid()}";
        await officer.GetAsync(relocations);
        await officer.GetAsync(path);
        await officer.GetAsync($"/api/relocations/{unknown}");
        await officer.PostAsync($"{path}/depart", null);
        await officer.PostAsJsonAsync($"{path}/plan", new JsonObject());
        await officer.PostAsJsonAsync($"{path}/plan", RelocationTests.PlanBody("KE"));
        await officer.PostAsync($"{path}/depart", null);
        await officer.PostAsync($"{path}/arrive", null);
        await officer.PostAsJsonAsync($"{path}/check-ins", new { status = "safe", note = "Settled." });
        var later = DateTime.UtcNow.AddMonths(6).ToString("yyyy-MM-dd");
        await officer.PostAsJsonAsync($"{path}/extend", new { endOn = later });
        await officer.PostAsync($"{path}/return", null);
        await officer.PostAsync($"{path}/resettle", null);
        await officer.PostAsJsonAsync($"{path}/close", new { });

        // Closing and re-opening.
        await officer.PostAsJsonAsync($"/api/cases/{id}/reopen", new { reason = "Still open." });
        await officer.PostAsJsonAsync($"/api/cases/{id}/close", new { outcome = "riskReduced" });
        await officer.PostAsJsonAsync($"/api/cases/{id}/close", new { outcome = "riskReduced" });
        await officer.PostAsJsonAsync($"/api/cases/{id}/close", new { outcome = (string?)null });
        await officer.PostAsJsonAsync($"/api/cases/{id}/reopen", new { reason = "New threats." });

        // The audit the gateway composes.
        await auditor.GetAsync($"/api/cases/{id}/history");
        await auditor.GetAsync($"/api/cases/{id}/history?asOf=yesterday");
        await auditor.GetAsync($"/api/cases/{unknown}/history");
        await auditor.GetAsync($"/api/cases/{id}/verify");
        await auditor.GetAsync($"/api/cases/{id}/access-log");
        await officer.GetAsync($"/api/cases/{id}/access-log");
        await auditor.GetAsync($"/api/cases/{id}/export");
        await auditor.GetAsync($"/api/cases/{id}/export?format=csv");
        await auditor.GetAsync($"/api/cases/{id}/export?format=pdf");

        // Administration.
        var organisation = await admin.PostAsJsonAsync(
            "/api/admin/organisations", new { name = $"Contract walk {Guid.NewGuid():N}", kind = "funding" });
        var organisationId = (await organisation.Json()).GetProperty("id").GetGuid();
        var name = (await organisation.Json()).GetProperty("name").GetString();
        await admin.PostAsJsonAsync("/api/admin/organisations", new { name, kind = "funding" });
        await admin.GetAsync("/api/admin/organisations");
        var auditBody = await admin.PostAsJsonAsync(
            "/api/admin/organisations", new { name = $"Contract audit {Guid.NewGuid():N}", kind = "audit" });
        var audited = $"/api/admin/organisations/{(await auditBody.Json()).GetProperty("id").GetGuid()}/audited";
        await admin.PutAsJsonAsync(audited, new { organisations = new[] { organisationId } });
        await admin.PutAsJsonAsync(audited, new { organisations = new[] { unknown } });
        await admin.PutAsJsonAsync(audited, new { organisations = new[] { "not-an-id" } });
        await admin.PutAsJsonAsync(audited, new { });
        await admin.PutAsJsonAsync(
            $"/api/admin/organisations/{unknown}/audited", new { organisations = new[] { unknown } });
        await auditor.PutAsJsonAsync(audited, new { organisations = Array.Empty<Guid>() });
        await officer.GetAsync("/api/organisations");
        await anonymous.GetAsync("/api/organisations");
        var userName = $"contract{Guid.NewGuid():N}"[..20];
        var user = await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName, email = $"{userName}@example.org", organisationId, roles = new[] { "funder" },
        });
        await admin.PostAsJsonAsync("/api/admin/users", new
        {
            userName = "contract-nobody", email = "contract-nobody@example.org", organisationId = unknown,
            roles = new[] { "funder" },
        });
        var userId = (await user.Json()).GetProperty("user").GetProperty("id").GetGuid();
        await admin.GetAsync("/api/admin/users");
        await admin.GetAsync($"/api/admin/users/{userId}");
        await admin.GetAsync($"/api/admin/users/{unknown}");
        await admin.PostAsJsonAsync($"/api/admin/users/{userId}/roles", new { role = "officer" });
        await admin.DeleteAsync($"/api/admin/users/{userId}/roles/funder");
        await admin.PostAsync($"/api/admin/users/{userId}/second-factor/reset", null);
        await admin.PostAsync($"/api/admin/users/{userId}/deactivation", null);
        await admin.PostAsync($"/api/admin/users/{userId}/deactivation", null);
        await officer.GetAsync("/api/admin/users");
        await auditor.GetAsync("/api/admin/log?limit=5");
        await auditor.GetAsync("/api/admin/log/verify");

        // Erasure last: it destroys the case's key everywhere.
        await admin.PostAsJsonAsync($"/api/cases/{id}/erasure", new { basis = "defenderRequest" });
        await admin.PostAsJsonAsync($"/api/cases/{id}/erasure", new { basis = "defenderRequest" });
    }

    private static JsonObject Scores(params int[] scores) =>
        new() { ["scores"] = Triage.Scores(scores[0], scores[1], scores[2], scores[3], scores[4]) };

    private static JsonObject Measure(int dueInDays) => new()
    {
        ["area"] = "threatsOnTheGround",
        ["type"] = "safe-house",
        ["owner"] = "contract-officer",
        ["dueOn"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(dueInDays)).ToString("yyyy-MM-dd"),
    };
}
