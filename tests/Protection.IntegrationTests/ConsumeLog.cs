using System.Collections.Concurrent;
using MassTransit;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// How many times each message (by message id) was consumed to the end, whether its consumer applied it
/// or skipped it as a copy: the positive signal that every copy sent has been handled.
/// </summary>
public sealed class ConsumeLog : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _consumed.AddOrUpdate(id, 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    /// <summary>How many times the message <paramref name="messageId"/> was consumed so far.</summary>
    public int Times(Guid messageId) => _consumed.GetValueOrDefault(messageId);

    /// <summary>
    /// Waits until the message <paramref name="messageId"/> was consumed <paramref name="times"/> times.
    /// </summary>
    public Task WaitForAsync(Guid messageId, int times) => Eventually.Get(
        () => Task.FromResult(_consumed.GetValueOrDefault(messageId) >= times ? "consumed" : null),
        TimeSpan.FromSeconds(15),
        $"message {messageId} to be consumed {times} times");
}
