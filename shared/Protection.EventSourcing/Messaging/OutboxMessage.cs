using System.Text.Json;
using Marten;
using Protection.Contracts;

namespace Protection.EventSourcing.Messaging;

/// <summary>
/// An integration event waiting to be published. It is written in the same Marten session (one
/// PostgreSQL transaction) as the events that caused it, so either both exist or neither does;
/// the <see cref="OutboxRelay"/> publishes it and removes it afterwards.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>The integration event's id, also used as the broker message id.</summary>
    public Guid Id { get; set; }

    /// <summary>Full name of the contract type in <c>Protection.Contracts</c>.</summary>
    public string MessageType { get; set; } = string.Empty;

    public string Payload { get; set; } = string.Empty;

    public string CorrelationId { get; set; } = string.Empty;

    /// <summary>The case the event is about: the relay publishes one case's messages in order.</summary>
    public Guid CaseId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    internal static OutboxMessage For(IIntegrationEvent message) => new()
    {
        Id = message.Metadata.EventId,
        MessageType = message.GetType().FullName!,
        Payload = JsonSerializer.Serialize(message, message.GetType(), PayloadJson),
        CorrelationId = message.Metadata.CorrelationId,
        CaseId = message.CaseId,
        CreatedAt = message.Metadata.OccurredAt,
    };

    internal IIntegrationEvent Deserialize()
    {
        var type = typeof(IIntegrationEvent).Assembly.GetType(MessageType)
            ?? throw new InvalidOperationException($"Outbox message {Id} names unknown contract type {MessageType}.");
        return (IIntegrationEvent)JsonSerializer.Deserialize(Payload, type, PayloadJson)!;
    }
}

public static class OutboxSessionExtensions
{
    /// <summary>
    /// Queues <paramref name="message"/> for publishing once this session commits. Nothing is
    /// published if the commit fails; nothing committed stays unpublished.
    /// </summary>
    public static void PublishAfterCommit(this IDocumentSession session, IIntegrationEvent message) =>
        session.Insert(OutboxMessage.For(message));
}
