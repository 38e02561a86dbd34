using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.EventSourcing.EventStore;

namespace Protection.IntegrationTests;

/// <summary>
/// The access log on real PostgreSQL: every read kept, in one hash chain, whoever reads at the same moment.
/// </summary>
public sealed class CaseAccessLogTests(EventStoreHost host) : IClassFixture<EventStoreHost>
{
    [Fact]
    public async Task Reads_of_one_case_at_the_same_moment_by_two_replicas_are_all_recorded_in_one_intact_chain()
    {
        // Two instances are two replicas: each serialises its own reads, and they meet only at the stream's version.
        var replicas = new[]
        {
            new CaseAccessLog(host.Store, TimeProvider.System),
            new CaseAccessLog(host.Store, TimeProvider.System),
        };
        var caseId = Guid.CreateVersion7();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await Task.Yield();
            using var _ = OperationContext.Begin(
                new OperationContext($"auditor-{i}", "auditor", $"correlation-{i}", $"correlation-{i}"));
            await replicas[i % 2].RecordAsync(caseId, CaseReads.History, 200, CancellationToken.None);
        }));

        await using var session = host.Store.QuerySession();
        var entries = await replicas[0].ReadAsync(session, "itest", caseId, CancellationToken.None);
        entries.Select(e => e.Reader).Order().ShouldBe(Enumerable.Range(0, 40).Select(i => $"auditor-{i}").Order());
        entries.ShouldAllBe(e =>
            e.What == CaseReads.History && e.Role == "auditor" && e.Status == 200 && e.Service == "itest");
        entries.Select(e => e.CorrelationId).Distinct().Count().ShouldBe(40);

        var chain = await ChainVerifier.VerifyAsync(session, CaseAccessLog.StreamOf(caseId));
        chain.Intact.ShouldBeTrue(chain.Reason);
        chain.EventsChecked.ShouldBe(40);
    }

    [Fact]
    public async Task A_case_s_access_log_is_a_stream_of_its_own_and_the_same_for_every_replica()
    {
        var caseId = Guid.CreateVersion7();
        CaseAccessLog.StreamOf(caseId).ShouldBe(CaseAccessLog.StreamOf(caseId));
        CaseAccessLog.StreamOf(caseId).ShouldNotBe(caseId);
        CaseAccessLog.StreamOf(caseId).ShouldNotBe(CaseAccessLog.StreamOf(Guid.CreateVersion7()));

        using (OperationContext.Begin(new OperationContext("officer-1", "officer", "c1", "c1")))
        {
            await new CaseAccessLog(host.Store, TimeProvider.System)
                .RecordAsync(caseId, CaseReads.CaseFile, 403, CancellationToken.None);
        }

        await using var session = host.Store.QuerySession();
        (await session.Events.FetchStreamStateAsync(caseId)).ShouldBeNull();
        var read = (await new CaseAccessLog(host.Store, TimeProvider.System)
                .ReadAsync(session, "itest", caseId, CancellationToken.None))
            .ShouldHaveSingleItem();
        read.Reader.ShouldBe("officer-1");
        read.Status.ShouldBe(403);
    }
}
