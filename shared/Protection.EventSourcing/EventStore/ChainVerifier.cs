using Marten;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
namespace Protection.EventSourcing.EventStore;

/// <summary>The outcome of recomputing one stream's hash chain.</summary>
/// <param name="FirstBrokenVersion">
/// The version of the first event whose stored hash or link does not match, if any.
/// </param>
public sealed record ChainVerification(
    Guid StreamId,
    bool Intact,
    int EventsChecked,
    long? FirstBrokenVersion,
    string? FirstBrokenEventType,
    string? Reason);

public static class ChainVerifier
{
    /// <summary>Reads a stream from the store and recomputes every link from the genesis value.</summary>
    public static async Task<ChainVerification> VerifyAsync(
        IQuerySession session, Guid streamId, CancellationToken token = default)
    {
        var events = await session.Events.FetchStreamAsync(streamId, token: token);
        var previousHash = HashChain.Genesis;
        var expectedVersion = 0L;
        foreach (var @event in events)
        {
            expectedVersion++;
            string? failure = null;
            if (@event.Version != expectedVersion)
            {
                failure = $"expected version {expectedVersion}, found {@event.Version}: an event is missing";
            }
            else if (@event.GetHeader(EventHeaders.PreviousHash)?.ToString() != previousHash)
            {
                failure = "the link to the previous event does not match";
            }
            else
            {
                var stored = @event.GetHeader(EventHeaders.Hash)?.ToString();
                var recomputed = HashChain.Compute(
                    previousHash,
                    streamId,
                    @event.Version,
                    @event.EventTypeName,
                    session.DocumentStore.Options.Serializer().ToJson(@event.Data),
                    HashChainListener.HeaderStrings(@event));
                if (stored != recomputed)
                {
                    failure = "the event's content or metadata does not match its hash";
                }

                previousHash = stored ?? string.Empty;
            }

            if (failure is not null)
            {
                return new ChainVerification(
                    streamId, false, (int)expectedVersion, @event.Version, AuditText.TypeName(@event), failure);
            }
        }

        return new ChainVerification(streamId, true, events.Count, null, null, null);
    }
}
