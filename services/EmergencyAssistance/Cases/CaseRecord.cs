using Marten;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Messaging;

namespace Protection.EmergencyAssistance.Cases;

/// <summary>
/// What emergency assistance knows of a case, from intake's and triage's events: the
/// non-identifying facts funders may see (reference, country, threat types, risk) and who may act on it.
/// </summary>
public sealed class CaseRecord
{
    public Guid Id { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string Country { get; set; } = string.Empty;

    public List<ThreatType> ThreatTypes { get; set; } = [];

    public RiskLevel? Risk { get; set; }

    public bool Closed { get; set; }

    public string OpenedBy { get; set; } = string.Empty;

    public string? AssignedTo { get; set; }

    /// <summary>The triage version each fact was last set at; an older message never overwrites a newer fact.</summary>
    public long RiskVersion { get; set; }

    public long StatusVersion { get; set; }

    public long AssignmentVersion { get; set; }

    public string ResponsibleOfficer => AssignedTo ?? OpenedBy;
}

/// <summary>Consumers that keep <see cref="CaseRecord"/> current. Each change commits with its "handled" marker.</summary>
public abstract class CaseRecordConsumer<TMessage>(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<TMessage>(store, clock)
    where TMessage : class, Protection.Contracts.IIntegrationEvent
{
    protected override async Task Handle(IDocumentSession session, TMessage message, CancellationToken cancellationToken)
    {
        var record = await session.LoadAsync<CaseRecord>(message.CaseId, cancellationToken)
            ?? new CaseRecord { Id = message.CaseId, Reference = message.CaseReference };
        Apply(record, message);
        session.Store(record);
    }

    protected abstract void Apply(CaseRecord record, TMessage message);
}

public sealed class RecordOpenedCase(IDocumentStore store, TimeProvider clock) : CaseRecordConsumer<CaseOpened>(store, clock)
{
    protected override void Apply(CaseRecord record, CaseOpened m)
    {
        record.Country = m.Country;
        record.OpenedBy = m.Metadata.Actor;
        record.ThreatTypes = [.. record.ThreatTypes.Union(m.Threats.Select(t => t.Type)).Order()];
    }
}

public sealed class RecordReportedThreat(IDocumentStore store, TimeProvider clock) : CaseRecordConsumer<ThreatReported>(store, clock)
{
    protected override void Apply(CaseRecord record, ThreatReported m) =>
        record.ThreatTypes = [.. record.ThreatTypes.Append(m.Threat.Type).Distinct().Order()];
}

public sealed class RecordRisk(IDocumentStore store, TimeProvider clock) : CaseRecordConsumer<RiskAssessed>(store, clock)
{
    protected override void Apply(CaseRecord record, RiskAssessed m)
    {
        if (m.TriageVersion > record.RiskVersion)
        {
            (record.Risk, record.RiskVersion) = (m.Level, m.TriageVersion);
        }
    }
}

public sealed class RecordAssignment(IDocumentStore store, TimeProvider clock) : CaseRecordConsumer<CaseAssigned>(store, clock)
{
    protected override void Apply(CaseRecord record, CaseAssigned m)
    {
        if (m.TriageVersion > record.AssignmentVersion)
        {
            (record.AssignedTo, record.AssignmentVersion) = (m.Officer, m.TriageVersion);
        }
    }
}

public sealed class RecordClosure(IDocumentStore store, TimeProvider clock) : CaseRecordConsumer<CaseClosed>(store, clock)
{
    protected override void Apply(CaseRecord record, CaseClosed m)
    {
        if (m.TriageVersion > record.StatusVersion)
        {
            (record.Closed, record.StatusVersion) = (true, m.TriageVersion);
        }
    }
}

public sealed class RecordReopening(IDocumentStore store, TimeProvider clock) : CaseRecordConsumer<CaseReopened>(store, clock)
{
    protected override void Apply(CaseRecord record, CaseReopened m)
    {
        if (m.TriageVersion > record.StatusVersion)
        {
            (record.Closed, record.StatusVersion) = (false, m.TriageVersion);
        }
    }
}
