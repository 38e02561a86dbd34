using JasperFx.Events;
using Marten;
using Protection.Contracts.Triage;
using Protection.Intake.Cases;
using Protection.ServiceDefaults.Audit;

namespace Protection.Intake.Audit;

/// <summary>Intake's part of the case view at a moment: status, stage, risk, and what was open.</summary>
public sealed record IntakeState(
    CaseStatus Status,
    CaseStage Stage,
    RiskLevel? Risk,
    string ResponsibleOfficer,
    int Threats,
    IReadOnlyList<Contracts.Cases.ThreatType> ThreatTypes,
    int OpenGrants,
    int OpenRelocations,
    bool PersonalDataErased,
    long Version,
    DateTimeOffset LastChangedAt);

/// <summary>Intake's part of a case's audit: the case stream, one line per event, the case folded to a moment.</summary>
public sealed class IntakeAudit : ICaseAuditSource
{
    public bool OwnsCases => true;

    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        await session.Events.FetchStreamStateAsync(caseId, cancellationToken) is null ? [] : [new AuditedStream(caseId, "case")];

    public string Describe(IEvent @event) => @event.Data switch
    {
        CaseOpened e => $"Case {e.Reference} opened in {e.Country}: {Threats(e.Threats)}; {e.PeopleAtRisk} at risk; consent to share with funders {YesNo(e.Consent.ShareWithFunders)}, with a relocation host {YesNo(e.Consent.ShareWithRelocationHost)}",
        ThreatReported e => $"Threat reported: {Threat(e.Threat)}",
        TriageStartedNoted e => $"Triage took the case in at {e.Risk} risk; first triage due {e.DueAt:u}",
        RiskLevelNoted e => $"Risk in force is {e.Level} ({e.Basis})",
        OfficerAssignmentNoted e => $"Assigned to {e.Officer}",
        CaseClosureNoted e => $"Case closed: {e.Outcome}",
        CaseReopeningNoted e => $"Case re-opened at {e.Risk} risk; triage due {e.DueAt:u}",
        GrantOpenedNoted e => $"Grant {e.GrantId} requested",
        GrantClosedNoted e => $"Grant {e.GrantId} ended",
        RelocationOpenedNoted e => $"Relocation {e.RelocationId} requested",
        RelocationClosedNoted e => $"Relocation {e.RelocationId} closed",
        PersonalDataErased e => $"Personal data erased ({e.Basis}); the case key was destroyed",
        _ => AuditText.Humanize(@event.EventType.Name),
    };

    public async Task<object?> StateAsync(IQuerySession session, Guid caseId, IReadOnlyList<AuditedStream> streams, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var c = await session.Events.AggregateStreamAsync<Case>(caseId, timestamp: asOf, token: cancellationToken);
        return c is null ? null : new IntakeState(
            c.Status,
            c.Stage,
            c.Risk,
            c.ResponsibleOfficer,
            c.Threats.Count,
            c.ThreatTypes,
            c.GrantsOpened.Except(c.GrantsClosed).Count(),
            c.RelocationsOpened.Except(c.RelocationsClosed).Count(),
            c.ErasedAt is not null,
            c.Version,
            c.LastChangedAt);
    }

    private static string Threats(IReadOnlyList<RecordedThreat> threats) =>
        $"{threats.Count} threat(s): {string.Join("; ", threats.Select(Threat))}";

    private static string Threat(RecordedThreat t) => $"{t.Type} by {t.Perpetrator} on {t.OccurredOn:yyyy-MM-dd} in {t.Country}";

    private static string YesNo(bool value) => value ? "yes" : "no";
}
