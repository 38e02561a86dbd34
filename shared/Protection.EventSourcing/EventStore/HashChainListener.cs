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

    private static async Task<(long Version, string Hash)> PreviousLink(
        IDocumentSession session, StreamAction stream, CancellationToken token)
    {
        if (stream.ActionType == StreamActionType.Start)
        {
            return (0, HashChain.Genesis);
        }

        if (stream.ExpectedVersionOnServer is null)
        {
            var state = await session.Events.FetchStreamStateAsync(stream.Id, token);
            stream.ExpectedVersionOnServer = state?.Version ?? 0;
        }

        var expected = stream.ExpectedVersionOnServer.Value;
        if (expected == 0)
        {
            return (0, HashChain.Genesis);
        }

        var previous = await session.Events.FetchStreamAsync(
            stream.Id, version: expected, fromVersion: expected, token: token);
        var hash = previous.Count == 1 ? previous[0].GetHeader(EventHeaders.Hash)?.ToString() : null;
        return (expected, hash ?? throw new InvalidOperationException(
            $"Stream {stream.Id} has no hash at version {expected}; the chain cannot be continued. "
            + "Verify the stream before appending."));
    }

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
