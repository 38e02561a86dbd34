using System.Collections.Concurrent;
using JasperFx;
using Marten;
using Protection.Contracts.Cases;
using Protection.EventSourcing.Messaging;
using Protection.Testing;
using Weasel.Core;

namespace Protection.IntegrationTests;

/// <summary>
/// Appending and publishing succeed or fail together; a committed message is published even if its first publish never
/// happened.
/// </summary>
public sealed class OutboxTests(EventStoreHost host) : IClassFixture<EventStoreHost>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_committed_event_is_published_and_leaves_the_outbox_empty()
    {
        var caseId = Guid.CreateVersion7();
        var message = Messages.ThreatReportedOn(caseId);
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.StartStream(caseId, new ThreatSeen(caseId, Guid.NewGuid()));
            session.PublishAfterCommit(message);
            await session.SaveChangesAsync();
        }

        await Eventually.Get(() => Task.FromResult(host.Received.Deliveries.Contains(caseId) ? "delivered" : null),
            Delivery, "the consumer to receive the message");
        await Eventually.Get(async () =>
        {
            await using var query = host.Store.QuerySession();
            return await query.LoadAsync<OutboxMessage>(message.Metadata.EventId) is null ? "gone" : null;
        }, Delivery, "the published message to leave the outbox");
    }

    [Fact]
    public async Task A_burst_of_commits_over_many_cases_is_published_in_full_and_applied_once()
    {
        // 30 cases, 10 messages each, committed 16 at a time: the relay's lanes publish side by side.
        var cases = Enumerable.Range(0, 30).Select(_ => Guid.CreateVersion7()).ToArray();
        var messages = new ConcurrentBag<ThreatReported>();
        await Parallel.ForEachAsync(
            cases.SelectMany(caseId => Enumerable.Repeat(caseId, 10)),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (caseId, token) =>
            {
                var message = Messages.ThreatReportedOn(caseId);
                await using var session = host.Store.LightweightSession();
                session.PublishAfterCommit(message);
                await session.SaveChangesAsync(token);
                messages.Add(message);
            });

        foreach (var message in messages)
        {
            await host.Consumed.WaitForAsync(message.Metadata.EventId, 1);
        }

        await Outbox.EmptiedAsync(host.Store);
        var threats = messages.Select(m => m.Threat.ThreatId).ToArray();
        await using var query = host.Store.QuerySession();
        var seen = await query.Events.QueryRawEventDataOnly<ThreatSeen>()
            .Where(t => threats.Contains(t.ThreatId))
            .Select(t => t.ThreatId)
            .ToListAsync();
        seen.Count.ShouldBe(300);
        seen.Distinct().Count().ShouldBe(300);
    }

    [Fact]
    public async Task A_failed_commit_publishes_nothing_and_leaves_nothing_behind()
    {
        var caseId = Guid.CreateVersion7();
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.StartStream(caseId, new ThreatSeen(caseId, Guid.NewGuid()));
            await session.SaveChangesAsync();
        }

        var message = Messages.ThreatReportedOn(caseId);
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.StartStream(caseId,
                new ThreatSeen(caseId, Guid.NewGuid())); // the stream exists: this commit fails
            session.PublishAfterCommit(message);
            await Should.ThrowAsync<Exception>(() => session.SaveChangesAsync());
        }

        // Positive signals that a leaked message would have been delivered by now: a message of the same case
        // committed after it and handed to the relay at once, and one committed without the hand-over (as by a
        // process that died), which only the sweep publishes, are both consumed. The relay publishes each case's
        // messages in commit order and the sweep in order of creation: the failed commit's message, had it been
        // handed over or stored, came first.
        var handedOver = Messages.ThreatReportedOn(caseId);
        await using (var session = host.Store.LightweightSession())
        {
            session.PublishAfterCommit(handedOver);
            await session.SaveChangesAsync();
        }

        var swept = Messages.ThreatReportedOn(Guid.CreateVersion7());
        using (var crashed = StoreWithoutRelay())
        await using (var session = crashed.LightweightSession())
        {
            session.PublishAfterCommit(swept);
            await session.SaveChangesAsync();
        }

        await host.Consumed.WaitForAsync(handedOver.Metadata.EventId, 1);
        await host.Consumed.WaitForAsync(swept.Metadata.EventId, 1);
        host.Consumed.Times(message.Metadata.EventId).ShouldBe(0);
        await using var query = host.Store.QuerySession();
        (await query.LoadAsync<OutboxMessage>(message.Metadata.EventId)).ShouldBeNull();
    }

    [Fact]
    public async Task A_message_committed_by_a_process_that_died_before_publishing_is_published_by_the_sweep()
    {
        // A store without the relay's listener: the commit happens, the hand-over to the relay never does,
        // exactly as when a process dies between its commit and its publish.
        using var crashed = StoreWithoutRelay();
        var caseId = Guid.CreateVersion7();
        await using (var session = crashed.LightweightSession())
        {
            session.PublishAfterCommit(Messages.ThreatReportedOn(caseId));
            await session.SaveChangesAsync();
        }

        await Eventually.Get(() => Task.FromResult(host.Received.Deliveries.Contains(caseId) ? "delivered" : null),
            Delivery, "the sweep to publish the orphaned message");
    }

    /// <summary>The host's store without the relay's listener: what it commits only the sweep publishes.</summary>
    private DocumentStore StoreWithoutRelay() => DocumentStore.For(options =>
    {
        options.Connection(host.ConnectionString);
        options.DatabaseSchemaName = "itest";
        options.AutoCreateSchemaObjects = AutoCreate.None;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
    });
}
