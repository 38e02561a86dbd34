using System.Globalization;
using JasperFx.Events;
using Marten;

namespace Protection.EventSourcing.EventStore;

/// <summary>
/// Stamps every event appended through any Marten session with its metadata headers and its
/// chained hash, just before the session commits. Living in the store (not in handlers) means no
/// code path can append an unchained event.
/// </summary>
/// <remarks>
/// When an append did not declare the version it expects, the listener pins it to the version it
/// read the previous hash from, so a concurrent writer makes this commit fail with a concurrency
/// error instead of forking the chain.
/// </remarks>
internal sealed class HashChainListener(TimeProvider clock) : DocumentSessionListenerBase
{
    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var context = OperationContext.Current ?? OperationContext.System("unattributed");
        var occurredAt = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        foreach (var stream in session.PendingChanges.Streams())
        {
            if (stream.Events.Count == 0)
            {
                continue;
            }

            var (previousVersion, previousHash) = await PreviousLink(session, stream, token);
            var version = previousVersion;
            foreach (var @event in stream.Events)
            {
                version++;
                Stamp(@event, context, occurredAt);
                @event.SetHeader(EventHeaders.PreviousHash, previousHash);
                var hash = HashChain.Compute(
                    previousHash,
                    stream.Id,
                    version,
                    @event.EventTypeName,
                    session.DocumentStore.Options.Serializer().ToJson(@event.Data),
                    HeaderStrings(@event));
                @event.SetHeader(EventHeaders.Hash, hash);
                previousHash = hash;
            }
        }
    }

    /// <summary>
    /// The chain's head: the version this append follows and that event's hash, in one query (the stream's
    /// version and its last event joined) when the append did not declare a version, else the event at it.
    /// </summary>
    private static async Task<(long Version, string Hash)> PreviousLink(
        IDocumentSession session, StreamAction stream, CancellationToken token)
    {
        if (stream.ActionType == StreamActionType.Start || stream.ExpectedVersionOnServer == 0)
        {
            return (0, HashChain.Genesis);
        }

        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var head = stream.ExpectedVersionOnServer is { } expected
            ? await session.AdvancedSql.QueryAsync<ChainHead>(
                $"select json_build_object('version', e.version, 'hash', e.headers ->> '{EventHeaders.Hash}') "
                + $"from {schema}.mt_events e where e.stream_id = ? and e.version = ?",
                token,
                stream.Id,
                expected)
            : await session.AdvancedSql.QueryAsync<ChainHead>(
                $"select json_build_object('version', s.version, 'hash', e.headers ->> '{EventHeaders.Hash}') "
                + $"from {schema}.mt_streams s left join {schema}.mt_events e "
                + "on e.stream_id = s.id and e.version = s.version where s.id = ?",
                token,
                stream.Id);
        var version = head.Count == 1 ? head[0].Version : stream.ExpectedVersionOnServer ?? 0;
        stream.ExpectedVersionOnServer = version;
        if (version == 0)
        {
            return (0, HashChain.Genesis);
        }

        return (version, head.Count == 1 && head[0].Hash is { } hash ? hash : throw new InvalidOperationException(
            $"Stream {stream.Id} has no hash at version {version}; the chain cannot be continued. "
            + "Verify the stream before appending."));
    }

    private sealed record ChainHead(long Version, string? Hash);

    private static void Stamp(IEvent @event, OperationContext context, string occurredAt)
    {
        @event.SetHeader(EventHeaders.Actor, context.Actor);
        @event.SetHeader(EventHeaders.ActorRole, context.ActorRole);
        @event.SetHeader(EventHeaders.CorrelationId, context.CorrelationId);
        @event.SetHeader(EventHeaders.CausationId, context.CausationId);
        @event.SetHeader(EventHeaders.OccurredAt, occurredAt);
        @event.CorrelationId = context.CorrelationId;
        @event.CausationId = context.CausationId;
        @event.UserName = context.Actor;
    }

    internal static IEnumerable<KeyValuePair<string, string>> HeaderStrings(IEvent @event) =>
        (@event.Headers ?? []).Select(kv =>
            new KeyValuePair<string, string>(kv.Key, kv.Value?.ToString() ?? string.Empty));
}
