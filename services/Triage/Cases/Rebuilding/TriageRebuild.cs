using System.Diagnostics;
using System.Transactions;
using JasperFx.Events;
using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Protection.EventSourcing.EventStore;
using Weasel.Core;

namespace Protection.Triage.Cases.Rebuilding;

/// <summary>What a rebuild read and wrote, and how long each step took.</summary>
public sealed record RebuildOutcome(long Events, int Cases, TimeSpan Read, TimeSpan Written);

/// <summary>
/// Rebuilds triage's inline case projection (the <see cref="TriageCase"/> documents) from every event in the store,
/// and is what <c>dotnet Protection.Triage.dll rebuild-cases</c> runs. The events are read once, in order, in
/// large pages and folded in memory by the projection itself (<see cref="SelfApplyingProjection{TState}"/>, each
/// event's own <c>Apply</c>, the stream version as the case's <c>Version</c>, as the inline projection stores it);
/// then the old documents are deleted and every case is written by one bulk insert (PostgreSQL's <c>COPY</c>) in
/// one transaction. Marten's daemon rebuild read and wrote each case once per page it appeared in, and wrote a
/// 10,000-measure case's whole document again each time.
/// </summary>
/// <remarks>
/// Every case is held in memory until it is written: about the size of the documents' data. Run it while the
/// service takes no writes: a case changed during the rebuild keeps the rebuilt state.
/// </remarks>
public sealed class TriageRebuild(IDocumentStore store)
{
    public const string Command = "rebuild-cases";

    /// <summary>Events read per round trip.</summary>
    internal const int PageSize = 5_000;

    private static readonly SelfApplyingProjection<TriageCase> Projection = new();

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public async Task<RebuildOutcome> RunAsync(CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var (events, cases) = await FoldAsync(token);
        var read = Stopwatch.GetElapsedTime(started);

        // One transaction: a reader sees the old documents or the rebuilt ones. The bulk insert copies straight into
        // the table (overwriting copies into a temporary table first, which Marten names per table, and that table
        // outlives the transaction on a pooled connection: a second rebuild in the same process failed on it).
        var table = store.Options.FindOrResolveDocumentType(typeof(TriageCase)).TableName.QualifiedName;
        using (var transaction = new TransactionScope(
            TransactionScopeOption.Required,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted },
            TransactionScopeAsyncFlowOption.Enabled))
        {
            await ExecuteAsync($"delete from {table}", token);
            await store.BulkInsertEnlistTransactionAsync(
                cases, Transaction.Current!, BulkInsertMode.InsertsOnly, batchSize: PageSize, token);

            // A bulk insert stores every document at revision 1; the inline projection stores the stream's version.
            await ExecuteAsync(
                $"update {table} set mt_version = (data ->> 'version')::bigint where mt_version <> "
                + "(data ->> 'version')::bigint",
                token);
            transaction.Complete();
        }

        return new RebuildOutcome(events, cases.Count, read, Stopwatch.GetElapsedTime(started) - read);
    }

    private async Task ExecuteAsync(string sql, CancellationToken token)
    {
        await using var session = store.LightweightSession(SessionOptions.ForCurrentTransaction());
        session.QueueSqlCommand(sql);
        await session.SaveChangesAsync(token);
    }

    /// <summary>Every case as the projection folds it from the events, in the order they were appended.</summary>
    private async Task<(long Events, List<TriageCase> Cases)> FoldAsync(CancellationToken token)
    {
        var cases = new Dictionary<Guid, TriageCase>();
        long events = 0, last = 0;
        await using var session = store.QuerySession();
        while (true)
        {
            var page = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > last)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(token);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var e in page)
            {
                Apply(cases, e);
            }

            events += page.Count;
            last = page[^1].Sequence;
        }

        return (events, [.. cases.Values]);
    }

    private static void Apply(Dictionary<Guid, TriageCase> cases, IEvent e)
    {
        if (e.Data is not (IStartOf<TriageCase> or IEventOf<TriageCase>))
        {
            return; // another stream's event (the access log's)
        }

        var before = cases.GetValueOrDefault(e.StreamId);
        if (Projection.Evolve(before, e.StreamId, e) is { } after)
        {
            after.Version = e.Version;
            cases[e.StreamId] = after;
        }
    }
}
