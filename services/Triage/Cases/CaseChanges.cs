using JasperFx.Events;
using Marten;
using Protection.Contracts;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Messaging;
using Published = Protection.Contracts.Triage;

namespace Protection.Triage.Cases;

/// <summary>
/// Appends triage's events to a case stream and queues the integration events they imply in the
/// same transaction (the outbox), so the store and the broker never disagree.
/// </summary>
public static class CaseChanges
{
    /// <summary>
    /// Appends what was decided at the version read (a concurrent writer makes the commit fail) and
    /// queues what it publishes.
    /// </summary>
    public static TriageCase Append(
        IDocumentSession session, IEventStream<TriageCase> stream, Decided decided, DateTimeOffset now)
    {
        var before = stream.Aggregate
            ?? throw new InvalidOperationException("Append to a case triage knows; start new ones with Start.");
        stream.AppendMany(decided.Events);
        var after = decided.Events.Aggregate(before, Fold);
        Publish(session, after, decided, stream.CurrentVersion ?? 0, now);
        return after;
    }

    /// <summary>Starts the triage stream of a case intake opened.</summary>
    public static TriageCase Start(IDocumentSession session, Decided takenIn, DateTimeOffset now)
    {
        var started = takenIn.Events.OfType<CaseTakenIn>().Single();
        session.Events.StartStream<TriageCase>(started.CaseId, started);
        var after = TriageCase.Create(started);
        Publish(session, after, takenIn, 1, now);
        return after;
    }

    public static TriageCase Fold(TriageCase state, object e) => e switch
    {
        ThreatAdded x => state.Apply(x),
        RiskEscalated x => state.Apply(x),
        RelocationAlertRaised x => state.Apply(x),
        TriageDeadlineSet x => state.Apply(x),
        DimensionsScored x => state.Apply(x),
        RiskOverridden x => state.Apply(x),
        OfficerAssigned x => state.Apply(x),
        MeasureAdded x => state.Apply(x),
        MeasureCompleted x => state.Apply(x),
        MeasureCancelled x => state.Apply(x),
        TriageOverdueFlagged x => state.Apply(x),
        CaseClosedWithOutcome x => state.Apply(x),
        CaseReopenedForTriage x => state.Apply(x),
        _ => throw new ArgumentException($"Triage has no event {e.GetType().Name}.", nameof(e)),
    };

    /// <summary>Open and completed measures per framework area, every area listed (an empty area is a gap in the plan).</summary>
    public static IReadOnlyList<AreaCoverage> Coverage(TriageCase @case) => Enum.GetValues<FrameworkArea>()
        .Select(area => new AreaCoverage(
            area,
            @case.Measures.Count(m => m.Area == area && m.Status == MeasureStatus.Open),
            @case.Measures.Count(m => m.Area == area && m.Status == MeasureStatus.Completed)))
        .ToArray();

    private static void Publish(IDocumentSession session, TriageCase after, Decided decided, long version, DateTimeOffset now)
    {
        EventMetadata Meta() => OperationContext.Current!.ToEventMetadata(now);
        var id = after.Id;
        var reference = after.Reference;
        foreach (var e in decided.Events)
        {
            IIntegrationEvent[] published = e switch
            {
                CaseTakenIn x =>
                [
                    new TriageStarted(id, reference, x.Preliminary.Level, x.DueAt, version, Meta()),
                    new Published.RiskAssessed(id, reference, x.Preliminary.Level, null, RiskBasis.Preliminary, x.Preliminary.RuleNames, version, Meta()),
                ],
                RiskEscalated x =>
                [
                    new CaseEscalated(id, reference, x.From, x.To, x.Result.RuleNames, after.TriageDueAt ?? now, version, Meta()),
                    new Published.RiskAssessed(id, reference, x.To, x.From, RiskBasis.Escalation, x.Result.RuleNames, version, Meta()),
                ],
                RelocationAlertRaised x when x.To > x.From =>
                [
                    new CaseEscalated(id, reference, x.From, x.To, [x.Reason.Rule], after.TriageDueAt ?? now, version, Meta()),
                    new Published.RiskAssessed(id, reference, x.To, x.From, RiskBasis.Escalation, [x.Reason.Rule], version, Meta()),
                ],
                RelocationAlertRaised x => [new CaseEscalated(id, reference, x.From, x.To, [x.Reason.Rule], after.TriageDueAt ?? now, version, Meta())],
                TriageDeadlineSet { Trigger: not TriageTrigger.Reopened } x => [new TriageStarted(id, reference, x.Level, x.DueAt, version, Meta())],
                DimensionsScored x => [new Published.RiskAssessed(id, reference, x.Level, x.PreviousLevel, RiskBasis.Assessment, after.Risk.Reasons.Select(r => r.Rule).ToArray(), version, Meta())],
                RiskOverridden x => [new Published.RiskAssessed(id, reference, x.To, x.From, RiskBasis.Override, ["supervisor-override"], version, Meta())],
                OfficerAssigned x => [new CaseAssigned(id, reference, x.Officer, x.Previous, version, Meta())],
                MeasureAdded x => [PlanUpdated(after, x.MeasureId, MeasureChange.Added, version, Meta())],
                MeasureCompleted x => [PlanUpdated(after, x.MeasureId, MeasureChange.Completed, version, Meta())],
                MeasureCancelled x => [PlanUpdated(after, x.MeasureId, MeasureChange.Cancelled, version, Meta())],
                TriageOverdueFlagged x => [new TriageOverdue(id, reference, after.Risk.Level, x.DueAt, after.AssignedTo, version, Meta())],
                CaseClosedWithOutcome x => [new Published.CaseClosed(id, reference, x.Outcome, version, Meta())],
                CaseReopenedForTriage => [new Published.CaseReopened(id, reference, after.Risk.Level, after.TriageDueAt ?? now, version, Meta())],
                _ => [],
            };

            foreach (var message in published)
            {
                session.PublishAfterCommit(message);
            }
        }

        if (decided.Recommends is { } recommendation)
        {
            session.PublishAfterCommit(recommendation.Published(after, version, Meta()));
        }
    }

    private static ProtectionPlanUpdated PlanUpdated(TriageCase after, Guid measureId, MeasureChange change, long version, EventMetadata metadata)
    {
        var measure = after.FindMeasure(measureId)!;
        return new ProtectionPlanUpdated(after.Id, after.Reference, measure.Id, measure.Area, measure.Type, change, measure.DueOn, Coverage(after), version, metadata);
    }
}
