using System.Net;

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
}
