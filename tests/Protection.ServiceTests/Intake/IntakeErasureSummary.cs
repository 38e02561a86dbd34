extern alias intake;

using System.Net;
using System.Text.Json;
using intake::Protection.Intake.Cases;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Intake;

/// <summary>
/// <c>GET /api/cases/{id}/erasure</c>: what an administrator is told before erasing a case: counts and kinds,
/// never content.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class IntakeErasureSummary(IntakeHost intake)
{
    [Fact]
    public async Task The_summary_counts_what_erasure_destroys_without_personal_data_and_then_reads_erased()
    {
        const string name = "Zainab Summarycount";
        var officer = intake.As(IntakeHost.Officer, "officer");
        var id = await IntakeHost.OpenAsync(officer, IntakeBodies.Case(name));
        await officer.SendAsync("POST", $"/api/cases/{id}/threats", IntakeBodies.Threat().ToJsonString())
            .ShouldBe(HttpStatusCode.Created);
        await IntakeHost.ReferAsync(officer, id, TestTokens.OrganisationB, "share");
        var reference = (await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK))
            .Text("reference")!;
        // What intake learned from emergency assistance: one grant requested (as its consumer notes it).
        await using (var session = intake.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var progress = await session.LoadAsync<CaseProgress>(id) ?? CaseProgress.Of(id);
            var grant = Guid.CreateVersion7();
            session.Store(progress.Learn(LearnedFact.About(LearnedKind.GrantOpened, grant, DateTimeOffset.UtcNow)));
            await session.SaveChangesAsync();
        }

        // An administrator of the platform, who belongs to none of the case's organisations.
        var admin = intake.Of("platform", "admin-eraser", "admin");

        using var response = await admin.SendAsync("GET", $"/api/cases/{id}/erasure");
        var summary = await response.ShouldBe(HttpStatusCode.OK);
        summary.Text("reference").ShouldBe(reference);
        summary.GetProperty("erased").GetBoolean().ShouldBeFalse();
        summary.GetProperty("threats").GetInt32().ShouldBe(2);
        summary.GetProperty("referrals").GetInt32().ShouldBe(1);
        summary.GetProperty("grants").GetInt32().ShouldBe(1);
        summary.GetProperty("relocations").GetInt32().ShouldBe(0);
        summary.GetProperty("services").EnumerateArray().Select(s => s.GetString())
            .ShouldBe(["intake", "assistance"]);
        var raw = summary.GetRawText();
        raw.ShouldNotContain("Zainab");
        raw.ShouldNotContain(IntakeBodies.ReferralReason);

        await admin.SendAsync("POST", $"/api/cases/{id}/erasure", """{"basis":"retentionExpired"}""")
            .ShouldBe(HttpStatusCode.OK);
        var after = await admin.SendAsync("GET", $"/api/cases/{id}/erasure").ShouldBe(HttpStatusCode.OK);
        after.GetProperty("erased").GetBoolean().ShouldBeTrue();
        after.GetProperty("erasedAt").ValueKind.ShouldBe(JsonValueKind.String);
        after.GetProperty("services").GetArrayLength().ShouldBe(0);
        after.GetProperty("threats").GetInt32().ShouldBe(2);
    }
}
