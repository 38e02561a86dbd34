using Protection.EventSourcing.Messaging;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// The sweep publishes only what no relay has in hand: a message published and waiting to be deleted is not
/// published again, however many sweeps pass meanwhile.
/// </summary>
public sealed class OutboxSweepTests(SlowDeletingEventStoreHost host) : IClassFixture<SlowDeletingEventStoreHost>
{
    [Fact]
    public async Task A_published_message_waiting_to_be_deleted_is_not_published_again_by_the_sweep()
    {
        var cases = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).ToArray();
        foreach (var caseId in cases)
        {
            await using var session = host.Store.LightweightSession();
            session.Events.StartStream(caseId, new ThreatSeen(caseId, Guid.NewGuid()));
            session.PublishAfterCommit(Messages.ThreatReportedOn(caseId));
            await session.SaveChangesAsync();
        }

        // Deleted 3 s after their publish: about four sweeps have looked at them by then.
        await Outbox.EmptiedAsync(host.Store);

        // A positive signal that a copy published by a sweep would have arrived: one more message, published after
        // the last sweep that could have seen the others, goes the same way to the same queue.
        var last = Messages.ThreatReportedOn(Guid.CreateVersion7());
        await using (var session = host.Store.LightweightSession())
        {
            session.PublishAfterCommit(last);
            await session.SaveChangesAsync();
        }

        await Eventually.Get(
            () => Task.FromResult(host.Received.Deliveries.Contains(last.CaseId) ? "delivered" : null),
            TimeSpan.FromSeconds(15), "the last message to be delivered");
        foreach (var caseId in cases)
        {
            host.Received.Deliveries.Count(delivered => delivered == caseId).ShouldBe(1, $"deliveries of {caseId}");
        }
    }
}
