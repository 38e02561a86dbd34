using JasperFx.Events;
using Marten;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Audit;
using Protection.Triage.Cases;

namespace Protection.Triage.Audit;

/// <summary>Triage's part of the case view at a moment.</summary>
public sealed record TriageState(
    TriageStatus Status,
    RiskLevel Risk,
    RiskBasis RiskBasis,
    string ResponsibleOfficer,
    bool AwaitingTriage,
    DateTimeOffset? TriageDueAt,
    int OpenMeasures,
    int Measures,
    int RelocationAlerts,
    CaseOutcome? Outcome,
    long Version);

/// <summary>Triage's part of a case's audit: the case's triage stream (keyed by the case id).</summary>
public sealed class TriageAudit : ICaseAuditSource
{
    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        await session.Events.FetchStreamStateAsync(caseId, cancellationToken) is null ? [] : [new AuditedStream(caseId, "case")];

    // Free text (notes, reasons) is never part of a line: only levels, rules, dates and user ids.
    public string Describe(IEvent @event) => @event.Data switch
    {
        CaseTakenIn e => $"Taken into triage: preliminary risk {e.Preliminary.Level} ({Rules(e.Preliminary)}); first triage due {e.DueAt:u}",
        ThreatAdded e => $"New threat considered ({e.Threat.Type}); threats alone give {e.Preliminary.Level}",
        RiskEscalated e => $"Risk escalated {e.From} → {e.To} by a new threat ({Rules(e.Result)})",
        RelocationAlertRaised e => $"Relocation alert ({e.Alert}) on relocation {e.RelocationId}: risk {e.From} → {e.To}",
        TriageDeadlineSet e => $"Waits for an assessment until {e.DueAt:u} ({e.Trigger}, {e.Level})",
        DimensionsScored e => $"Risk assessed by {e.AssessedBy}: {e.Level} (computed {e.Computed.Level}: {Rules(e.Computed)}; was {e.PreviousLevel})",
        RiskOverridden e => $"Risk overridden by {e.By}: {e.From} → {e.To} (reason recorded)",
        OfficerAssigned e => $"Assigned to {e.Officer} by {e.By}" + (e.Previous is null ? string.Empty : $" (was {e.Previous})"),
        MeasureAdded e => $"Measure {e.Type} added ({e.Area}), owner {e.Owner}, due {e.DueOn:yyyy-MM-dd}",
        MeasureCompleted e => $"Measure {e.MeasureId} completed by {e.By}",
        MeasureCancelled e => $"Measure {e.MeasureId} cancelled by {e.By} (reason recorded)",
        TriageOverdueFlagged e => $"First triage overdue: it was due {e.DueAt:u}",
        CaseClosedWithOutcome e => $"Case closed by {e.By}: {e.Outcome}",
        CaseReopenedForTriage e => $"Case re-opened by {e.By} (reason recorded)",
        _ => AuditText.Humanize(@event.EventType.Name),
    };

    public async Task<object?> StateAsync(IQuerySession session, Guid caseId, IReadOnlyList<AuditedStream> streams, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var c = await session.Events.AggregateStreamAsync<TriageCase>(caseId, timestamp: asOf, token: cancellationToken);
        return c is null ? null : new TriageState(
            c.Status,
            c.Risk.Level,
            c.Risk.Basis,
            c.ResponsibleOfficer,
            c.AwaitingTriage,
            c.TriageDueAt,
            c.Measures.Count(m => m.Status == MeasureStatus.Open),
            c.Measures.Count,
            c.RelocationAlerts.Count,
            c.Outcome,
            c.Version);
    }

    private static string Rules(Risk.RiskResult result) => string.Join(", ", result.RuleNames);
}
