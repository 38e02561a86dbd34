extern alias triage;

using System.Net;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Protection.ServiceTests.Hosting;
using TriageCase = triage::Protection.Triage.Cases.TriageCase;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// The supervisors' triage dashboard, from the indicators the async daemon keeps: a fresh organisation's cases,
/// some assessed; another organisation's assessed case never counts.
/// </summary>
[Collection(TriageCollection.Name)]
public sealed class TriageDashboardTests(TriageHost triage)
{
    [Fact]
    public async Task Counts_the_organisations_cases_and_the_hours_to_their_first_assessment()
    {
        var organisation = $"org-{Guid.NewGuid():N}";
        var other = $"org-{Guid.NewGuid():N}";
        var officer = triage.WithToken(TestTokens.Of(organisation, "officer-d", ["officer"]));
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var id = Guid.CreateVersion7();
            await triage.DeliverAsync(Facts.CaseOpened(id, "officer-d") with { Organisation = organisation });
            ids.Add(id);
        }

        var ofOther = Guid.CreateVersion7();
        await triage.DeliverAsync(Facts.CaseOpened(ofOther, "officer-o") with { Organisation = other });
        foreach (var id in ids.Take(2))
        {
            await officer.SendAsync("POST", $"/api/cases/{id}/assessment", TriageBodies.Assessment().ToJsonString())
                .ShouldBe(HttpStatusCode.OK);
        }

        await triage.WithToken(TestTokens.Of(other, "officer-o", ["officer"]))
            .SendAsync("POST", $"/api/cases/{ofOther}/assessment", TriageBodies.Assessment().ToJsonString())
            .ShouldBe(HttpStatusCode.OK);

        var store = triage.Services.GetRequiredService<IDocumentStore>();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        // What the test expects, from the cases as triage keeps them (opened, and scored once each).
        await using var session = store.QuerySession();
        var hours = new List<double>();
        foreach (var id in ids.Take(2))
        {
            var kept = (await session.LoadAsync<TriageCase>(id))!;
            hours.Add((kept.Assessment!.At - kept.OpenedAt).TotalHours);
        }

        hours.Sort();
        var answer = await triage.WithToken(TestTokens.Of(organisation, "supervisor-d", ["supervisor"]))
            .SendAsync("GET", "/api/dashboards/triage").ShouldBe(HttpStatusCode.OK);
        answer.GetProperty("freshness").GetProperty("current").GetBoolean().ShouldBeTrue();
        var months = answer.GetProperty("months").EnumerateArray().ToArray();
        months.Length.ShouldBe(12);
        var month = months[^1];
        month.GetProperty("month").GetString().ShouldBe(DateTimeOffset.UtcNow.ToString("yyyy-MM"));
        month.GetProperty("opened").GetInt32().ShouldBe(3);
        month.GetProperty("assessed").GetInt32().ShouldBe(2);
        month.GetProperty("medianHours").GetDouble().ShouldBe((hours[0] + hours[1]) / 2, 1e-6);
        month.GetProperty("percentile90Hours").GetDouble().ShouldBe(hours[0] + (0.9 * (hours[1] - hours[0])), 1e-6);
        months[..^1].ShouldAllBe(m => m.GetProperty("opened").GetInt32() == 0);

        // The other organisation sees its own case only.
        var theirs = await triage.WithToken(TestTokens.Of(other, "supervisor-o", ["supervisor"]))
            .SendAsync("GET", "/api/dashboards/triage").ShouldBe(HttpStatusCode.OK);
        theirs.GetProperty("months")[11].GetProperty("opened").GetInt32().ShouldBe(1);
        theirs.GetProperty("months")[11].GetProperty("assessed").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("funder")]
    [InlineData("auditor")]
    public async Task Is_for_supervisors_only(string role) =>
        await triage.WithToken(TestTokens.Of($"org-{Guid.NewGuid():N}", "someone", [role]))
            .SendAsync("GET", "/api/dashboards/triage").ShouldBeProblem(HttpStatusCode.Forbidden);
}
