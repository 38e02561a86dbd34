using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;
using Protection.EventSourcing.EventStore;
using Weasel.Core;

namespace Protection.Triage.Cases.Rebuilding;

/// <summary>What a rebuild read and wrote: all events read and folded after <see cref="Read"/>, all done after
/// <see cref="Total"/> (the cases are written while the events are still read).</summary>
public sealed record RebuildOutcome(long Events, int Cases, TimeSpan Read, TimeSpan Total);

/// <summary>
/// Rebuilds triage's inline case projection (the <see cref="TriageCase"/> documents) from every event in the store,
/// and is what <c>dotnet Protection.Triage.dll rebuild-cases</c> runs. The events are read once, in pages of
/// sequence numbers (two pages read at once), and folded in their order in memory by the projection itself
/// (<see cref="SelfApplyingProjection{TState}"/>, each event's own <c>Apply</c>, the stream version as the case's
/// <c>Version</c>, as the inline projection stores it).
/// A case is handed to the writer as soon as it reached its stream's version, so that most cases are written while
/// the rest of the events are still read; the writer bulk inserts them (PostgreSQL's <c>COPY</c>) into a new table,
/// which takes the old one's place after the last case (<see cref="WriteAsync"/>). Marten's daemon rebuild read and
/// wrote each case once per page it appeared in, and wrote a 10,000-measure case's whole document again each time.
/// </summary>
/// <remarks>
/// A case is held in memory until its last event is read. Run it while the service takes no writes: a case whose
/// stream grows while it is rebuilt stops the rebuild (nothing is changed then; run it again).
/// </remarks>
public sealed class TriageRebuild(IDocumentStore store, IConfiguration configuration)
{
    public const string Command = "rebuild-cases";

    /// <summary>Events read per round trip (sequence numbers per page).</summary>
    internal const int PageSize = 1_000;

    /// <summary>Pages read at once (one of them is folded meanwhile).</summary>
    private const int PagesAhead = 2;

    /// <summary>The case's own event types by their stored name, and how Marten reads each.</summary>
    private Dictionary<string, EventMapping>? mappings;

    private Dictionary<string, EventMapping> Mappings => mappings ??= Projection.IncludedEventTypes
        .Select(type => ((EventGraph)store.Options.Events).EventMappingFor(type))
        .ToDictionary(mapping => mapping.EventTypeName);

    /// <summary>How long the swap waits for the old table's readers before it gives up (nothing changed).</summary>
    private const string SwapLockTimeout = "10s";

    /// <summary>Cases written per bulk insert.</summary>
    private const int WriteBatch = 1_000;

    private static readonly SelfApplyingProjection<TriageCase> Projection = new();

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public async Task<RebuildOutcome> RunAsync(CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(token);
        var complete = Channel.CreateUnbounded<TriageCase>(); // counts what waits
        var writing = WriteOrStopAsync(complete.Reader, failed);
        (long Events, int Cases) folded;
        try
        {
            folded = await FoldAsync(complete.Writer, failed.Token);
            complete.Writer.Complete();
        }
        catch (Exception e)
        {
            complete.Writer.Complete(e); // the transaction rolls back: the old documents stay
            await Task.WhenAny(writing);
            if (writing.IsFaulted && e is OperationCanceledException)
            {
                await writing; // the write failed first, and stopped the read: its error is the one to see
            }

            throw;
        }

        var read = Stopwatch.GetElapsedTime(started);
        await writing;
        return new RebuildOutcome(folded.Events, folded.Cases, read, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Folds every event in the order it was appended, and hands each case on as soon as it reached its stream's
    /// version (most cases are complete long before the last event is read).
    /// </summary>
    private async Task<(long Events, int Cases)> FoldAsync(ChannelWriter<TriageCase> complete, CancellationToken token)
    {
        var cases = new Dictionary<Guid, TriageCase>();
        var written = new HashSet<Guid>();
        long events = 0, next = 0;
        Dictionary<Guid, long> versions;
        long high;
        await using (var session = store.QuerySession())
        {
            var schema = store.Options.Events.DatabaseSchemaName;
            versions = (await session.AdvancedSql.QueryAsync<string>(
                    $"select id::text || ' ' || version from {schema}.mt_streams", token))
                .Select(stream => stream.Split(' '))
                .ToDictionary(
                    stream => Guid.Parse(stream[0]), stream => long.Parse(stream[1], CultureInfo.InvariantCulture));
            high = long.Parse(
                (await session.AdvancedSql.QueryAsync<string>(
                    $"select coalesce(max(seq_id), 0)::text from {schema}.mt_events", token))[0],
                CultureInfo.InvariantCulture);
        }

        // The next pages are read while one is folded (each on its own connection), up to the last event there was.
        var reading = new Queue<Task<IReadOnlyList<Folded>>>();
        while (next < high || reading.Count > 0)
        {
            while (reading.Count < PagesAhead && next < high)
            {
                reading.Enqueue(PageAsync(next, next + PageSize, token));
                next += PageSize;
            }

            var page = await reading.Dequeue();
            foreach (var e in page)
            {
                if (written.Contains(e.StreamId))
                {
                    throw new InvalidOperationException(
                        $"Case {e.StreamId} changed while it was rebuilt; rebuild while the service takes no writes.");
                }

                if (Apply(cases, e) is { } after && after.Version == versions.GetValueOrDefault(e.StreamId))
                {
                    complete.TryWrite(after);
                    cases.Remove(e.StreamId);
                    written.Add(e.StreamId);
                }
            }

            events += page.Count;
        }

        foreach (var left in cases.Values) // a stream started after the versions were read (none while no one writes)
        {
            complete.TryWrite(left);
        }

        return (events, written.Count + cases.Count);
    }

    /// <summary>
    /// The case events after sequence number <paramref name="after"/> up to <paramref name="upTo"/>, each read by its
    /// type's own Marten mapping (which applies any upcasting) from the <c>data</c> column alone. Marten's event
    /// query reads every column and deserializes each event's headers too (its hash chain and actors), as many bytes
    /// again as a measure's data, which the fold never looks at; the access log's events are not read at all.
    /// </summary>
    private async Task<IReadOnlyList<Folded>> PageAsync(long after, long upTo, CancellationToken token)
    {
        await using var session = store.QuerySession();
        var connection = session.Connection!;
        await using var command = new NpgsqlCommand(
            $"select data, type, stream_id, version from {store.Options.Events.DatabaseSchemaName}.mt_events "
            + "where seq_id > $1 and seq_id <= $2 and type = any($3) and is_archived = false order by seq_id",
            connection)
        {
            Parameters = { new() { Value = after }, new() { Value = upTo }, new() { Value = Mappings.Keys.ToArray() } },
        };
        var page = new List<Folded>(PageSize);
        var serializer = store.Options.Serializer();
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            var data = Mappings[reader.GetString(1)].ReadEventData(serializer, reader);
            page.Add(new Folded(reader.GetGuid(2), reader.GetInt64(3), data));
        }

        return page;
    }

    private async Task WriteOrStopAsync(ChannelReader<TriageCase> complete, CancellationTokenSource failed)
    {
        try
        {
            await WriteAsync(complete, failed.Token);
        }
        catch
        {
            await failed.CancelAsync(); // nothing more to read for
            throw;
        }
    }

    /// <summary>
    /// The rebuilt cases go into a table of their own, in a schema beside the service's (<c>triage_rebuild</c>), made
    /// by a store mapped as the service's (<see cref="TriageModule.MapCases"/>, the same serializer), in bulk
    /// inserts (PostgreSQL's <c>COPY</c>) of up to <see cref="WriteBatch"/> cases; its secondary indexes are built
    /// after the last. When all are written, one short
    /// transaction drops the service's table and moves the new one (its indexes with it) into its place: until then
    /// readers read the old documents, and a rebuild that fails leaves them as they were. Deleting the old documents
    /// and inserting the new ones in the same table cost more than half the rebuild: every index updated row by
    /// row, the old rows' space left to vacuum.
    /// </summary>
    private async Task WriteAsync(ChannelReader<TriageCase> complete, CancellationToken token)
    {
        var target = store.Options.FindOrResolveDocumentType(typeof(TriageCase)).TableName;
        var schema = $"{target.Schema}_rebuild";
        await DropAsync(schema, token); // what a failed rebuild left
        try
        {
            using IDocumentStore rebuilt = DocumentStore.For(options =>
            {
                options.Connection(configuration.GetConnectionString("Postgres")!);
                options.DatabaseSchemaName = schema;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.Serializer(store.Options.Serializer());
                TriageModule.MapCases(options);
                // The stream's version as the revision, as the service's inline projection makes its table store it.
                options.Schema.For<TriageCase>().UseNumericRevisions(true);
            });
            await rebuilt.Storage.Database.EnsureStorageExistsAsync(typeof(TriageCase), token);
            var table = rebuilt.Options.FindOrResolveDocumentType(typeof(TriageCase)).TableName;
            // The queue's indexes are built once all the cases are in, from the definitions Marten made: faster
            // than keeping four indexes up to date row by row through the bulk inserts.
            var indexes = await SecondaryIndexesAsync(table, token);
            foreach (var (name, _) in indexes)
            {
                await ExecuteAsync($"drop index {table.Schema}.{name}", token);
            }

            var (ids, versions) = (new List<Guid>(), new List<long>());
            var batch = new List<TriageCase>(WriteBatch);
            await foreach (var written in complete.ReadAllAsync(token))
            {
                batch.Add(written);
                if (written.Version != 1)
                {
                    ids.Add(written.Id);
                    versions.Add(written.Version);
                }

                if (batch.Count == WriteBatch || (complete.Count == 0 && batch.Count >= WriteBatch / 10))
                {
                    await rebuilt.BulkInsertAsync(batch, BulkInsertMode.InsertsOnly, WriteBatch, token);
                    batch = new List<TriageCase>(WriteBatch);
                }
            }

            if (batch.Count > 0)
            {
                await rebuilt.BulkInsertAsync(batch, BulkInsertMode.InsertsOnly, WriteBatch, token);
            }

            // A bulk insert stores every document at revision 1; the inline projection stores the stream's version.
            await ExecuteAsync(
                $"update {table.QualifiedName} as cases set mt_version = streams.version "
                + "from unnest(?::uuid[], ?::bigint[]) as streams(id, version) where cases.id = streams.id",
                token,
                ids.ToArray(),
                versions.ToArray());
            foreach (var (_, definition) in indexes)
            {
                await ExecuteAsync(definition, token);
            }

            await using var swap = store.LightweightSession();
            // The drop waits for the readers of the old table, and every reader after it waits behind it: a
            // transaction that holds the table for long fails the rebuild instead of stopping the service's reads.
            swap.QueueSqlCommand($"set local lock_timeout = '{SwapLockTimeout}'");
            swap.QueueSqlCommand($"drop table {target.QualifiedName}");
            swap.QueueSqlCommand($"alter table {table.QualifiedName} set schema {target.Schema}");
            await swap.SaveChangesAsync(token);
        }
        catch
        {
            await DropQuietlyAsync(schema); // the error to see is the rebuild's
            throw;
        }

        await DropAsync(schema, token);
    }

    /// <summary>The table's indexes but its primary key: each one's name and the statement that makes it.</summary>
    private async Task<IReadOnlyList<(string Name, string Definition)>> SecondaryIndexesAsync(
        DbObjectName table, CancellationToken token)
    {
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            "select i.indexname || '|' || i.indexdef from pg_indexes i "
            + "where i.schemaname = ? and i.tablename = ? and i.indexname not like 'pkey%' order by i.indexname",
            token,
            table.Schema,
            table.Name);
        return rows.Select(row => row.Split('|', 2)).Select(parts => (parts[0], parts[1])).ToList();
    }

    private async Task DropQuietlyAsync(string schema)
    {
        try
        {
            await DropAsync(schema, CancellationToken.None);
        }
        catch (Exception)
        {
            // Left for the next rebuild, which drops it first.
        }
    }

    private Task DropAsync(string schema, CancellationToken token) =>
        ExecuteAsync($"drop schema if exists {schema} cascade", token);

    /// <summary>Runs <paramref name="sql"/> in a transaction of its own on the service's database.</summary>
    private async Task ExecuteAsync(string sql, CancellationToken token, params object[] parameters)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand(sql, parameters);
        await session.SaveChangesAsync(token);
    }

    private static TriageCase? Apply(Dictionary<Guid, TriageCase> cases, Folded e)
    {
        var before = cases.GetValueOrDefault(e.StreamId);
        if (Projection.Evolve(before, e.StreamId, e.Event) is not { } after)
        {
            return null;
        }

        after.Version = e.Version;
        cases[e.StreamId] = after;
        return after;
    }

    /// <summary>An event as the fold needs it: its case, the case's version after it, and the event.</summary>
    private sealed record Folded(Guid StreamId, long Version, IEvent Event);
}
