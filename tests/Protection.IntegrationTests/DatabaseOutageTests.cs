using Marten;
using MassTransit;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// A message consumed while the service's database is away (restarting, failing over) for longer than the quick
/// retries waits for it, and is applied once when it is back: it is not moved to the dead letters.
/// </summary>
public sealed class DatabaseOutageTests(CuttableDatabaseHost host) : IClassFixture<CuttableDatabaseHost>
{
    /// <summary>
    /// Longer than the four quick retries (0.1 + 0.5 + 2 + 5 s), after which a consumer's failure used to go to
    /// <c>_error</c>. The outage is what is tested, so its length is the one fixed wait here.
    /// </summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_message_consumed_while_the_database_is_away_longer_than_the_quick_retries_is_applied_once()
    {
        var caseId = Guid.CreateVersion7();
        var message = Messages.ThreatReportedOn(caseId);

        host.Proxy!.Cut();
        try
        {
            await host.Bus.Publish(message, context => context.MessageId = message.Metadata.EventId);
            await Task.Delay(Outage);
        }
        finally
        {
            host.Proxy.Restore();
        }

        await Eventually.Get(async () =>
        {
            await using var query = host.Store.QuerySession();
            return (await query.Events.FetchStreamAsync(caseId)).Count > 0 ? "applied" : null;
        }, TimeSpan.FromSeconds(90), "the threat applied once the database is back");
        await host.Consumed.WaitForAsync(message.Metadata.EventId, 1);

        await using var session = host.Store.QuerySession();
        (await session.Events.FetchStreamAsync(caseId)).Count.ShouldBe(1);
        host.Consumed.Times(message.Metadata.EventId).ShouldBe(1);
    }
}
