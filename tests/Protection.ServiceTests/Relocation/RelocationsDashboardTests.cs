extern alias relocation;

using System.Net;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Protection.Contracts.Relocation;
using Protection.ServiceTests.Hosting;
using CheckInMissedFlagged = relocation::Protection.Relocations.Relocations.CheckInMissedFlagged;
using DefenderCheckedIn = relocation::Protection.Relocations.Relocations.DefenderCheckedIn;
using RelocationStream = relocation::Protection.Relocations.Relocations.Relocation;
using RelocationConcluded = relocation::Protection.Relocations.Relocations.RelocationConcluded;
using RelocationFunded = relocation::Protection.Relocations.Relocations.RelocationFunded;
using RelocationOpened = relocation::Protection.Relocations.Relocations.RelocationOpened;

namespace Protection.ServiceTests.Relocation;

/// <summary>
/// The relocations dashboard from the indicators the async daemon keeps. The relocations' events are stored as
/// the service stores them (a missed check-in needs weeks of a clock), so the figures are known; another
/// organisation's relocation never counts, nor a closed one.
/// </summary>
[Collection(RelocationCollection.Name)]
public sealed class RelocationsDashboardTests(RelocationHost relocations)
{
    [Fact]
    public async Task Counts_relocations_in_progress_by_state_and_their_missed_check_ins()
    {
        var organisation = $"org-{Guid.NewGuid():N}";
        var other = $"org-{Guid.NewGuid():N}";
        var ours = Guid.CreateVersion7();
        var theirs = Guid.CreateVersion7();
        await relocations.DeliverAsync(Facts.CaseOpened(ours, "officer-r") with { Organisation = organisation });
        await relocations.DeliverAsync(Facts.CaseOpened(theirs, "officer-o") with { Organisation = other });

        var now = DateTimeOffset.UtcNow;
        var store = relocations.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            // Requested; funded with two missed check-ins, the last still missed; funded, missed then checked in;
            // closed (not in progress); another organisation's, missed.
            Start(session, ours, now);
            var missed = Start(session, ours, now, new RelocationFunded(Guid.Empty, Guid.NewGuid(), now));
            session.Events.Append(missed, Missed(missed, now.AddDays(-8)), Missed(missed, now.AddDays(-1)));
            var answered = Start(session, ours, now, new RelocationFunded(Guid.Empty, Guid.NewGuid(), now));
            session.Events.Append(answered, Missed(answered, now.AddDays(-2)),
                new DefenderCheckedIn(answered, CheckInStatus.Safe, null, "officer-r", now, now.AddDays(7)));
            var closed = Start(session, ours, now);
            session.Events.Append(closed,
                new RelocationConcluded(closed, RelocationOutcome.Cancelled, null, "officer-r", now));
            var elsewhere = Start(session, theirs, now);
            session.Events.Append(elsewhere, Missed(elsewhere, now.AddDays(-1)));
            await session.SaveChangesAsync();
        }

        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var answer = await relocations.WithToken(TestTokens.Of(organisation, "supervisor-r", ["supervisor"]))
            .SendAsync("GET", "/api/dashboards/relocations").ShouldBe(HttpStatusCode.OK);

        answer.GetProperty("freshness").GetProperty("current").GetBoolean().ShouldBeTrue();
        var states = answer.GetProperty("inProgress").EnumerateArray().ToDictionary(
            s => s.GetProperty("state").GetString()!, s => s, StringComparer.OrdinalIgnoreCase);
        states.ContainsKey("closed").ShouldBeFalse();
        states["requested"].GetProperty("relocations").GetInt32().ShouldBe(1);
        states["funded"].GetProperty("relocations").GetInt32().ShouldBe(2);
        states["funded"].GetProperty("missedNow").GetInt32().ShouldBe(1);
        states["funded"].GetProperty("missedInAll").GetInt32().ShouldBe(3);
        states.Values.Sum(s => s.GetProperty("relocations").GetInt32()).ShouldBe(3);
        answer.GetProperty("missedNow").GetInt32().ShouldBe(1);
        answer.GetProperty("missedInAll").GetInt32().ShouldBe(3);
    }

    [Theory]
    [InlineData("officer")]
    [InlineData("funder")]
    public async Task Is_for_supervisors_only(string role) =>
        await relocations.WithToken(TestTokens.Of($"org-{Guid.NewGuid():N}", "someone", [role]))
            .SendAsync("GET", "/api/dashboards/relocations").ShouldBeProblem(HttpStatusCode.Forbidden);

    private static Guid Start(IDocumentSession session, Guid caseId, DateTimeOffset at, params object[] more)
    {
        var id = Guid.CreateVersion7();
        var opened = new RelocationOpened(id, caseId, Facts.Reference(caseId), "CO", RelocationKind.InCountrySafeHouse,
            RelocationReason.IncreasedRisk, 1, 0, TimeSpan.FromDays(7), false, "officer-r", at.AddDays(-20));
        object[] events = [opened, .. more.Select(e => e is RelocationFunded f ? f with { RelocationId = id } : e)];
        session.Events.StartStream<RelocationStream>(id, events);
        return id;
    }

    private static CheckInMissedFlagged Missed(Guid relocation, DateTimeOffset dueAt) =>
        new(relocation, dueAt, dueAt.AddHours(6));
}
