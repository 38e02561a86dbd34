using JasperFx;
using Marten;
using Npgsql;
using Protection.ServiceDefaults;
using Protection.EventSourcing.EventStore;

namespace Protection.IntegrationTests;

/// <summary>Every event appended through a service's store is chained; altering stored history is detected.</summary>
public sealed class HashChainedEventStoreTests(EventStoreHost host) : IClassFixture<EventStoreHost>
{
    [Fact]
    public async Task Events_appended_in_several_sessions_form_one_intact_chain_with_their_metadata()
    {
        var stream = Guid.CreateVersion7();
        using (OperationContext.Begin(new OperationContext("officer-7", "officer", "corr-1", "req-1")))
        {
            await using var first = host.Store.LightweightSession();
            first.Events.StartStream(
                stream,
                new ThreatSeen(stream, Guid.NewGuid()),
                new ThreatSeen(stream, Guid.NewGuid()));
            await first.SaveChangesAsync();
        }

        await using (var second = host.Store.LightweightSession())
        {
            second.Events.Append(stream, new ThreatSeen(stream, Guid.NewGuid()));
            await second.SaveChangesAsync();
        }

        await using var query = host.Store.QuerySession();
        var verification = await ChainVerifier.VerifyAsync(query, stream);
        verification.Intact.ShouldBeTrue(verification.Reason);
        verification.EventsChecked.ShouldBe(3);

        var events = await query.Events.FetchStreamAsync(stream);
        events[0].GetHeader(EventHeaders.PreviousHash)!.ToString().ShouldBe(HashChain.Genesis);
        events[1].GetHeader(EventHeaders.PreviousHash)!.ToString()
            .ShouldBe(events[0].GetHeader(EventHeaders.Hash)!.ToString());
        events[2].GetHeader(EventHeaders.PreviousHash)!.ToString()
            .ShouldBe(events[1].GetHeader(EventHeaders.Hash)!.ToString());
        events[0].GetHeader(EventHeaders.Actor)!.ToString().ShouldBe("officer-7");
        events[0].CorrelationId.ShouldBe("corr-1");
        events[2].GetHeader(EventHeaders.Actor)!.ToString().ShouldStartWith("system:");
    }

    [Theory]
    [InlineData(
        "update itest.mt_events set data = jsonb_set(data, '{threatId}', to_jsonb(gen_random_uuid()::text)) " +
        "where stream_id = @stream and version = 2",
        2L)]
    [InlineData(
        "update itest.mt_events set headers = jsonb_set(headers, '{actor}', '\"someone-else\"') " +
        "where stream_id = @stream and version = 3",
        3L)]
    [InlineData("delete from itest.mt_events where stream_id = @stream and version = 2", 3L)]
    public async Task Altering_a_stored_event_directly_in_PostgreSQL_breaks_the_chain_at_that_event(
        string tampering,
        long firstBroken)
    {
        var stream = Guid.CreateVersion7();
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.StartStream(
                stream,
                Enumerable.Range(0, 4).Select(_ => (object)new ThreatSeen(stream, Guid.NewGuid())).ToArray());
            await session.SaveChangesAsync();
        }

        await using (var connection = new NpgsqlConnection(host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(tampering, connection);
            command.Parameters.AddWithValue("stream", stream);
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        await using var query = host.Store.QuerySession();
        var verification = await ChainVerifier.VerifyAsync(query, stream);
        verification.Intact.ShouldBeFalse();
        verification.FirstBrokenVersion.ShouldBe(firstBroken);
        verification.Reason.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Concurrent_writers_without_an_expected_version_never_fork_the_chain()
    {
        var stream = Guid.CreateVersion7();
        await using (var session = host.Store.LightweightSession())
        {
            session.Events.StartStream(stream, new ThreatSeen(stream, Guid.NewGuid()));
            await session.SaveChangesAsync();
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            await using var session = host.Store.LightweightSession();
            session.Events.Append(stream, new ThreatSeen(stream, Guid.NewGuid()));
            try
            {
                await session.SaveChangesAsync();
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        }));

        await using var query = host.Store.QuerySession();
        var verification = await ChainVerifier.VerifyAsync(query, stream);
        verification.Intact.ShouldBeTrue(verification.Reason);
        verification.EventsChecked.ShouldBe(1 + outcomes.Count(committed => committed));
        outcomes.ShouldContain(true);
    }
}
