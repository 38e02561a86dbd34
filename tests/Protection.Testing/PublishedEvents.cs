using System.Text.Json;

namespace Protection.Testing;

/// <summary>
/// The integration events published to one exchange, one per message id. Delivery is at least once
/// (the outbox may hand the broker the same event twice) and consumers drop copies by message id,
/// so "published once" means one message id per fact.
/// </summary>
public sealed class PublishedEvents : IAsyncDisposable
{
    private readonly RawQueue _queue;
    private readonly string _exchange;
    private readonly string _idProperty;
    private readonly Dictionary<Guid, JsonElement> _byMessageId = [];

    private PublishedEvents(RawQueue queue, string exchange, string idProperty)
    {
        _queue = queue;
        _exchange = exchange;
        _idProperty = idProperty;
    }

    /// <param name="idProperty">The message's property that says what it is about, e.g. <c>caseId</c>.</param>
    public static async Task<PublishedEvents> BindAsync(string rabbit, string exchange, string idProperty) =>
        new(await RawQueue.BindAsync(rabbit, exchange), exchange, idProperty);

    /// <summary>
    /// Waits until at least <paramref name="atLeast"/> distinct messages about <paramref name="id"/> arrived; returns
    /// them all.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> AboutAsync(Guid id, int atLeast)
    {
        await Eventually.Get(async () =>
        {
            Keep(await _queue.DrainAsync());
            return About(id).Count >= atLeast ? "enough" : null;
        }, TimeSpan.FromSeconds(10), $"{atLeast} messages on {_exchange} about {id}");
        return About(id);
    }

    /// <summary>
    /// Every distinct message about <paramref name="id"/> that reached the queue before this call (see
    /// <see cref="RawQueue.SettleAsync"/>): for counting once the publishers are done, when a copy still in
    /// flight must be counted too.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> SettledAboutAsync(Guid id)
    {
        Keep(await _queue.SettleAsync(TimeSpan.FromSeconds(10)));
        return About(id);
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private void Keep(IEnumerable<string> bodies)
    {
        foreach (var body in bodies)
        {
            var envelope = JsonDocument.Parse(body).RootElement;
            _byMessageId[envelope.GetProperty("messageId").GetGuid()] = envelope.GetProperty("message").Clone();
        }
    }

    private List<JsonElement> About(Guid id) =>
        _byMessageId.Values.Where(m => m.GetProperty(_idProperty).GetGuid() == id).ToList();
}
