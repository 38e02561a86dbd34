using System.Net;
using System.Text.Json;

namespace Protection.ServiceTests.Hosting;

/// <summary>The audit endpoints every service offers on a case, as an auditor reads them.</summary>
public static class Audit
{
    /// <summary>
    /// The case's history holds an entry of <paramref name="entryType"/>, its hash chain verifies intact, and
    /// its access log contains <paramref name="logged"/> (what was read, in the service's words).
    /// </summary>
    public static async Task ShouldShowAsync(HttpClient auditor, Guid caseId, string entryType, string logged)
    {
        var history = await auditor.SendAsync("GET", $"/audit/cases/{caseId}/history").ShouldBe(HttpStatusCode.OK);
        history.GetProperty("entries").EnumerateArray().Select(e => e.Text("type")).ShouldContain(entryType);
        var verified = await auditor.SendAsync("GET", $"/audit/cases/{caseId}/verify").ShouldBe(HttpStatusCode.OK);
        verified.GetProperty("intact").GetBoolean().ShouldBeTrue(verified.GetRawText());
        var log = await auditor.SendAsync("GET", $"/audit/cases/{caseId}/access-log").ShouldBe(HttpStatusCode.OK);
        log.GetRawText().ShouldContain(logged);
    }

    /// <summary>
    /// The case (organisation A's) does not exist for anyone outside A's audit: organisation B's supervisor
    /// (history and export) and auditor, an audit body granted only B, and an auditor of A without a grant
    /// of A all get 404 on the history, export, verification and access log, with nothing of the case in
    /// the answer; A's supervisor still reads the history.
    /// </summary>
    public static async Task ShouldHideFromOtherOrganisationsAsync(IServiceUnderTest host, Guid caseId)
    {
        var b = TestTokens.OrganisationB;
        var supervisor = host.WithToken(TestTokens.Of(b, "supervisor-b", ["supervisor"]));
        await NotFoundAsync(supervisor, $"/audit/cases/{caseId}/history");
        await NotFoundAsync(supervisor, $"/audit/cases/{caseId}/history?details=true");
        var auditors = new[]
        {
            host.WithToken(TestTokens.Of(b, "auditor-b", ["auditor"])),
            host.WithToken(TestTokens.Of("audit-body", "auditor-of-b", ["auditor"], audits: [b])),
            host.WithToken(TestTokens.Of(TestTokens.OrganisationA, "auditor-ungranted", ["auditor"], audits: [])),
        };
        foreach (var auditor in auditors)
        {
            foreach (var route in new[] { "history", "history?details=true", "verify", "access-log" })
            {
                await NotFoundAsync(auditor, $"/audit/cases/{caseId}/{route}");
            }
        }

        await host.As("supervisor-a", "supervisor").SendAsync("GET", $"/audit/cases/{caseId}/history")
            .ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>
    /// A problem that says only that the case was not found: nothing but a problem's own members, no part of
    /// the case.
    /// </summary>
    public static void ShouldSayNothingOfTheCase(this JsonElement problem)
    {
        problem.Text("title").ShouldBe("The case was not found.");
        problem.EnumerateObject().Select(p => p.Name)
            .ShouldBeSubsetOf(["type", "title", "status", "detail", "instance", "traceId", "correlationId"]);
    }

    private static async Task NotFoundAsync(HttpClient client, string path) =>
        (await client.SendAsync("GET", path).ShouldBeProblem(HttpStatusCode.NotFound)).ShouldSayNothingOfTheCase();
}
