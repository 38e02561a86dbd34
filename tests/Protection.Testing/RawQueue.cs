using System.Text;
using RabbitMQ.Client;

namespace Protection.Testing;

/// <summary>
/// An exclusive queue bound to an integration event's exchange, read as raw bytes: what a
/// consumer (or an eavesdropper on the broker) actually receives, not what a typed contract keeps.
/// </summary>
public sealed class RawQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private RawQueue(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    public static async Task<RawQueue> BindAsync(string amqpUri, string exchange)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        // Declared as MassTransit declares it (durable fanout), so it is the same exchange.
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, string.Empty);
        return new RawQueue(connection, channel, queue.QueueName);
    }

    /// <summary>Every message body received so far, as UTF-8 text.</summary>
    public async Task<IReadOnlyList<string>> DrainAsync()
    {
        var bodies = new List<string>();
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
        {
            bodies.Add(Encoding.UTF8.GetString(message.Body.Span));
        }

        return bodies;
    }

    /// <summary>
    /// Every message that reached the queue before this call, and any since: a sentinel is put at the queue's
    /// tail (through the default exchange, so that no other queue receives it) and the queue is read until the
    /// sentinel comes out. A queue is first in, first out: whatever was routed to it before has been read by
    /// then. Call it once the publishers are done (stopped, or their outbox empty).
    /// </summary>
    public async Task<IReadOnlyList<string>> SettleAsync(TimeSpan within)
    {
        var sentinel = $"sentinel-{Guid.NewGuid():N}";
        await _channel.BasicPublishAsync(string.Empty, _queue, Encoding.UTF8.GetBytes(sentinel));
        var bodies = new List<string>();
        var seen = false;
        await Eventually.Get(async () =>
        {
            foreach (var body in await DrainAsync())
            {
                if (body == sentinel)
                {
                    seen = true;
                }
                else
                {
                    bodies.Add(body);
                }
            }

            return seen ? "settled" : null;
        }, within, $"the sentinel to come through {_queue}");
        return bodies;
    }

    /// <summary>Waits for the first message whose body contains <paramref name="text"/> (e.g. a case id).</summary>
    public Task<string> WaitForMessageContainingAsync(string text, TimeSpan within)
    {
        var seen = new List<string>();
        return Eventually.Get(async () =>
        {
            seen.AddRange(await DrainAsync());
            return seen.FirstOrDefault(m => m.Contains(text, StringComparison.Ordinal));
        }, within, $"a message containing {text} on {_queue}");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
