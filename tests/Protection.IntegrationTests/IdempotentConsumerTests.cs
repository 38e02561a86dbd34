using MassTransit;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>A message delivered more than once changes nothing more than once.</summary>
public sealed class IdempotentConsumerTests(EventStoreHost host) : IClassFixture<EventStoreHost>
{
    [Fact]
    public async Task The_same_message_delivered_three_times_is_applied_once()
    {
        var caseId = Guid.CreateVersion7();
        var message = Messages.ThreatReportedOn(caseId);

        // The outbox re-publishes with the same message id; so does this.
        for (var i = 0; i < 3; i++)
        {
            await host.Bus.Publish(message, context => context.MessageId = message.Metadata.EventId);
        }

        await Eventually.Get(() => Task.FromResult(host.Received.Deliveries.Contains(caseId) ? "applied" : null),
            TimeSpan.FromSeconds(15), "the first delivery");
        await host.Consumed.WaitForAsync(message.Metadata.EventId, times: 3); // every copy handled, the duplicates too

        await using var query = host.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(caseId);
        events.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Different_messages_about_the_same_case_are_each_applied()
    {
        var caseId = Guid.CreateVersion7();
        var first = Messages.ThreatReportedOn(caseId);
        var second = Messages.ThreatReportedOn(caseId);

        await host.Bus.Publish(first, context => context.MessageId = first.Metadata.EventId);
        await Eventually.Get(async () =>
        {
            await using var query = host.Store.QuerySession();
            return (await query.Events.FetchStreamAsync(caseId)).Count == 1 ? "first" : null;
        }, TimeSpan.FromSeconds(15), "the first message to be applied");
        await host.Bus.Publish(second, context => context.MessageId = second.Metadata.EventId);

        await Eventually.Get(async () =>
        {
            await using var query = host.Store.QuerySession();
            return (await query.Events.FetchStreamAsync(caseId)).Count == 2 ? "both" : null;
        }, TimeSpan.FromSeconds(15), "both messages to be applied");
    }
}
