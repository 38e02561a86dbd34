using Marten;
using Protection.Contracts;
using Protection.Contracts.Relocation;
using Protection.ServiceDefaults.Messaging;

namespace Protection.Triage.Cases.News;

/// <summary>Escalates the case when the relocation service reports a defender away in trouble.</summary>
public abstract class RelocationAlertConsumer<TMessage>(
    IDocumentStore store, TimeProvider clock, TriageDecisions decisions)
    : IdempotentConsumer<TMessage>(store, clock)
    where TMessage : class, IIntegrationEvent
{
    protected override async Task Handle(
        IDocumentSession session, TMessage message, CancellationToken cancellationToken)
    {
        if (Alert(message) is not { } alert)
        {
            return;
        }

        var stream = await session.Events.FetchForWriting<TriageCase>(message.CaseId, cancellationToken);
        if (stream.Aggregate is null)
        {
            throw new CaseNotYetKnownException(message.CaseId);
        }

        var now = Clock.GetUtcNow();
        var decided = decisions.RaiseRelocationAlert(
            stream.Aggregate, alert.RelocationId, alert.Kind, alert.CheckInDueAt, now);
        if (decided.Events.Count > 0)
        {
            decided.AppendTo(session, stream, now);
        }
    }

    /// <summary>The alert <paramref name="message"/> raises, or null when it raises none.</summary>
    protected abstract (Guid RelocationId, RelocationAlert Kind, DateTimeOffset? CheckInDueAt)? Alert(TMessage message);
}

public sealed class EscalateOnMissedCheckIn(IDocumentStore store, TimeProvider clock, TriageDecisions decisions)
    : RelocationAlertConsumer<CheckInMissed>(store, clock, decisions)
{
    protected override (Guid RelocationId, RelocationAlert Kind, DateTimeOffset? CheckInDueAt)? Alert(
        CheckInMissed message) =>
        (message.RelocationId, RelocationAlert.CheckInMissed, message.DueAt);
}

public sealed class EscalateOnEmergencyCheckIn(IDocumentStore store, TimeProvider clock, TriageDecisions decisions)
    : RelocationAlertConsumer<CheckInRecorded>(store, clock, decisions)
{
    protected override (Guid RelocationId, RelocationAlert Kind, DateTimeOffset? CheckInDueAt)? Alert(
        CheckInRecorded message) =>
        message.Status == CheckInStatus.Emergency
            ? (message.RelocationId, RelocationAlert.EmergencyCheckIn, null)
            : null;
}
