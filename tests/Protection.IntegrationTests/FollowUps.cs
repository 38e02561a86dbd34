using System.Collections.Concurrent;
using MassTransit;
using Protection.EventSourcing.Messaging;

namespace Protection.IntegrationTests;

/// <summary>A fact that needs its case opened first, as triage needs <c>CaseOpened</c> before a new threat.</summary>
public sealed record FollowUp(Guid CaseId);

/// <summary>The cases opened, every attempt at a follow-up, and the follow-ups applied.</summary>
public sealed class FollowUpLog
{
    public ConcurrentDictionary<Guid, byte> Opened { get; } = new();

    public ConcurrentDictionary<Guid, int> Attempts { get; } = new();

    public ConcurrentQueue<Guid> Applied { get; } = new();
}

/// <summary>Applies a follow-up once its case is opened; until then it arrived early (and says so).</summary>
public sealed class ApplyFollowUp(FollowUpLog log) : IConsumer<FollowUp>
{
    public Task Consume(ConsumeContext<FollowUp> context)
    {
        var caseId = context.Message.CaseId;
        log.Attempts.AddOrUpdate(caseId, 1, (_, attempts) => attempts + 1);
        if (!log.Opened.ContainsKey(caseId))
        {
            throw new CaseNotOpenedYet(caseId);
        }

        log.Applied.Enqueue(caseId);
        return Task.CompletedTask;
    }

    private sealed class CaseNotOpenedYet(Guid caseId) : ArrivedEarlyException($"Case {caseId} is not opened yet.");
}
