using Marten;
using MassTransit;
using Protection.Contracts;
using Protection.Contracts.Triage;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// A batch consumer applies each message once: copies in one batch, copies of a message handled in an
/// earlier batch, several messages about one case in one batch.
/// </summary>
public sealed class BatchConsumerTests(EventStoreHost host) : IClassFixture<EventStoreHost>
{
    [Fact]
    public async Task Messages_published_together_are_handled_in_batches_and_each_applied_once()
    {
        var cases = Enumerable.Range(0, 10).Select(_ => Guid.CreateVersion7()).ToArray();
        // Four assignments of each case, published at once: batches hold several messages about one case.
        var messages = Enumerable.Range(0, 40).Select(i => AssignmentOf(cases[i % cases.Length])).ToArray();
        var batchesBefore = host.Batches.Sizes.Count;

        await Task.WhenAll(messages.Select(m => host.Bus.Publish(m, c => c.MessageId = m.Metadata.EventId)));

        await WaitForCountsAsync(cases, expected: 4);
        host.Batches.Sizes.Skip(batchesBefore).ShouldContain(size => size > 1, "no batch held more than one message");
    }

    [Fact]
    public async Task Copies_in_one_batch_and_copies_of_a_message_handled_before_change_nothing_twice()
    {
        var caseId = Guid.CreateVersion7();
        var first = AssignmentOf(caseId);
        await host.Bus.Publish(first, c => c.MessageId = first.Metadata.EventId);
        await WaitForCountsAsync([caseId], expected: 1);

        // The first again (already handled), beside two new messages, each sent twice.
        var second = AssignmentOf(caseId);
        var third = AssignmentOf(caseId);
        await Task.WhenAll(new[] { first, second, third, second, third, first }
            .Select(m => host.Bus.Publish(m, c => c.MessageId = m.Metadata.EventId)));

        await host.Consumed.WaitForAsync(first.Metadata.EventId, times: 3);
        await host.Consumed.WaitForAsync(second.Metadata.EventId, times: 2);
        await host.Consumed.WaitForAsync(third.Metadata.EventId, times: 2);
        (await AppliedAsync(caseId)).ShouldBe(3);
    }

    private async Task WaitForCountsAsync(Guid[] cases, int expected) =>
        await Eventually.Get(async () =>
        {
            foreach (var caseId in cases)
            {
                if (await AppliedAsync(caseId) < expected)
                {
                    return null;
                }
            }

            return "applied";
        }, TimeSpan.FromSeconds(20), $"every case's {expected} assignment(s) to be applied");

    private async Task<int> AppliedAsync(Guid caseId)
    {
        await using var query = host.Store.QuerySession();
        return (await query.LoadAsync<AssignmentCount>(caseId))?.Applied ?? 0;
    }

    private static CaseAssigned AssignmentOf(Guid caseId) => new(
        caseId,
        "PC-2026-000001",
        "officer-2",
        null,
        TriageVersion: 2,
        new EventMetadata(
            Guid.CreateVersion7(), DateTimeOffset.UtcNow, "supervisor-1", "supervisor",
            Guid.NewGuid().ToString(), Guid.NewGuid().ToString()));
}
