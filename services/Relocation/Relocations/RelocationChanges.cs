using JasperFx.Events;
using Marten;
using Protection.Contracts;
using Protection.Contracts.Relocation;
using Protection.ServiceDefaults;
using Protection.EventSourcing.Messaging;
using Published = Protection.Contracts.Relocation;

namespace Protection.Relocations.Relocations;

/// <summary>
/// Appends a relocation's events at the version read and queues the integration events they imply
/// in the same transaction (the outbox): the store and the broker never disagree.
/// </summary>
public static class RelocationChanges
{
    public static Relocation Start(IDocumentSession session, IReadOnlyList<object> events, DateTimeOffset now)
    {
        var requested = (RelocationRequested)events[0];
        session.Events.StartStream<Relocation>(requested.RelocationId, events.ToArray());
        return Publish(session, null, events, events.Count, now);
    }

    public static Relocation Append(IDocumentSession session, IEventStream<Relocation> stream, IReadOnlyList<object> events, DateTimeOffset now)
    {
        stream.AppendMany(events);
        return Publish(session, stream.Aggregate!, events, stream.CurrentVersion ?? 0, now);
    }

    public static Relocation Fold(Relocation? state, object e) => e switch
    {
        RelocationRequested x => Relocation.Create(x),
        RelocationPlanned x => state!.Apply(x),
        FundingReceived x => state!.Apply(x),
        RelocationFunded x => state!.Apply(x),
        RelocationDeparted x => state!.Apply(x),
        RelocationArrived x => state!.Apply(x),
        CheckInRecorded x => state!.Apply(x),
        CheckInMissedFlagged x => state!.Apply(x),
        StayExtended x => state!.Apply(x),
        StayEndingFlagged x => state!.Apply(x),
        DefenderReturned x => state!.Apply(x),
        DefenderResettled x => state!.Apply(x),
        RelocationClosed x => state!.Apply(x),
        _ => throw new ArgumentException($"A relocation has no event {e.GetType().Name}.", nameof(e)),
    };

    /// <summary>Folds <paramref name="events"/> one by one, publishing what each implies with the state it left.</summary>
    private static Relocation Publish(IDocumentSession session, Relocation? before, IReadOnlyList<object> events, long version, DateTimeOffset now)
    {
        EventMetadata Meta() => OperationContext.Current!.ToEventMetadata(now);
        var state = before;
        foreach (var e in events)
        {
            var from = state?.State ?? RelocationState.Requested;
            var r = state = Fold(state, e);
            IIntegrationEvent? message = e switch
            {
                RelocationRequested x => new Published.RelocationRequested(r.CaseId, r.CaseReference, r.Id, x.Kind, x.Reason, r.People, x.WasRecommended, version, Meta()),
                RelocationPlanned or RelocationFunded or RelocationDeparted or RelocationArrived or DefenderReturned or DefenderResettled =>
                    new RelocationProgressed(r.CaseId, r.CaseReference, r.Id, from, r.State, r.Plan?.StartOn, r.Plan?.EndOn, r.NextCheckInDueAt, version, Meta()),
                CheckInRecorded x => new Published.CheckInRecorded(r.CaseId, r.CaseReference, r.Id, x.Status, x.NextDueAt, version, Meta()),
                CheckInMissedFlagged x => new CheckInMissed(r.CaseId, r.CaseReference, r.Id, x.DueAt, version, Meta()),
                StayExtended x => new Published.StayExtended(r.CaseId, r.CaseReference, r.Id, x.EndOn, x.EndOn.DayNumber - r.Plan!.StartOn.DayNumber, version, Meta()),
                StayEndingFlagged x => new StayEnding(r.CaseId, r.CaseReference, r.Id, x.EndOn, version, Meta()),
                RelocationClosed x => new Published.RelocationClosed(r.CaseId, r.CaseReference, r.Id, x.Outcome, version, Meta()),
                _ => null,
            };

            if (message is not null)
            {
                session.PublishAfterCommit(message);
            }
        }

        var after = state!;
        after.Version = version;
        return after;
    }
}
