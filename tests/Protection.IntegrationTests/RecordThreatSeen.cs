using System.Collections.Concurrent;
using Marten;
using Protection.Contracts.Cases;
using Protection.EventSourcing.Messaging;

namespace Protection.IntegrationTests;

/// <summary>The effect a consumer has: one event appended to the case's stream in this service.</summary>
public sealed record ThreatSeen(Guid CaseId, Guid ThreatId);

/// <summary>
/// Every delivery the consumer saw, handled or skipped, to tell "delivered twice" from "applied twice".
/// </summary>
public sealed class ThreatLog
{
    public ConcurrentQueue<Guid> Deliveries { get; } = new();
}

/// <summary>A consumer as a service writes one: the idempotent base plus the effect.</summary>
public sealed class RecordThreatSeen(IDocumentStore store, TimeProvider clock, ThreatLog log)
    : IdempotentConsumer<ThreatReported>(store, clock)
{
    protected override Task Handle(
        IDocumentSession session,
        ThreatReported message,
        CancellationToken cancellationToken)
    {
        log.Deliveries.Enqueue(message.CaseId);
        session.Events.Append(message.CaseId, new ThreatSeen(message.CaseId, message.Threat.ThreatId));
        return Task.CompletedTask;
    }
}
