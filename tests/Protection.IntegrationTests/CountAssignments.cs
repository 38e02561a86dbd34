using System.Collections.Concurrent;
using Marten;
using Protection.Contracts.Triage;
using Protection.EventSourcing.Messaging;

namespace Protection.IntegrationTests;

/// <summary>How many assignments of one case a batch consumer applied: applied twice shows as one too many.</summary>
public sealed class AssignmentCount
{
    public Guid Id { get; set; }

    public int Applied { get; set; }
}

/// <summary>The size of every batch the consumer was handed, to tell "batched" from "one at a time".</summary>
public sealed class BatchLog
{
    public ConcurrentQueue<int> Sizes { get; } = new();
}

/// <summary>A batch consumer as a service writes one: the idempotent batch base plus a counting effect.</summary>
public sealed class CountAssignments(IDocumentStore store, TimeProvider clock, BatchLog log)
    : IdempotentBatchConsumer<CaseAssigned>(store, clock)
{
    protected override async Task Handle(
        IDocumentSession session, IReadOnlyList<CaseAssigned> messages, CancellationToken cancellationToken)
    {
        log.Sizes.Enqueue(messages.Count);
        var counts = (await session.LoadManyAsync<AssignmentCount>(
                cancellationToken, messages.Select(m => m.CaseId).Distinct()))
            .ToDictionary(count => count.Id);
        foreach (var message in messages)
        {
            if (!counts.TryGetValue(message.CaseId, out var count))
            {
                counts[message.CaseId] = count = new AssignmentCount { Id = message.CaseId };
            }

            count.Applied++;
        }

        session.Store(counts.Values.ToArray());
    }
}
