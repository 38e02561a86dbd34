using Marten;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Messaging;

namespace Protection.ServiceDefaults.Cases;

/// <summary>
/// What a downstream service (emergency assistance, relocation) knows of a case from intake's and
/// triage's events: the non-identifying facts (reference, country, threat types, risk) and who may act on it.
/// </summary>
public abstract class KnownCase
{
    public Guid Id { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string Country { get; set; } = string.Empty;

    public List<ThreatType> ThreatTypes { get; set; } = [];

    public RiskLevel? Risk { get; set; }

    public bool Closed { get; set; }

    public string OpenedBy { get; set; } = string.Empty;

    public string? AssignedTo { get; set; }

    /// <summary>What the defender consented to share; null until intake's <c>CaseOpened</c> arrived.</summary>
    public ConsentScopes? Consent { get; set; }

    /// <summary>The triage version each fact was last set at; an older message never overwrites a newer fact.</summary>
    public long RiskVersion { get; set; }

    public long StatusVersion { get; set; }

    public long AssignmentVersion { get; set; }

    /// <summary>True once intake's <c>CaseOpened</c> arrived (other messages may come first).</summary>
    public bool IsKnown => !string.IsNullOrEmpty(OpenedBy);

    public string ResponsibleOfficer => AssignedTo ?? OpenedBy;
}

/// <summary>Consumers that keep a <see cref="KnownCase"/> current. Each change commits with its "handled" marker.</summary>
public abstract class KnownCaseConsumer<TMessage, TCase>(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<TMessage>(store, clock)
    where TMessage : class, IIntegrationEvent
    where TCase : KnownCase, new()
{
    protected override async Task Handle(IDocumentSession session, TMessage message, CancellationToken cancellationToken)
    {
        var record = await session.LoadAsync<TCase>(message.CaseId, cancellationToken)
            ?? new TCase { Id = message.CaseId, Reference = message.CaseReference };
        await Apply(session, record, message, cancellationToken);
        session.Store(record);
    }

    protected abstract Task Apply(IDocumentSession session, TCase record, TMessage message, CancellationToken cancellationToken);
}

/// <summary>The facts every downstream service keeps; a service derives one concrete consumer per message.</summary>
public static class KnownCaseFacts
{
    public static void Opened(KnownCase record, CaseOpened m)
    {
        record.Country = m.Country;
        record.OpenedBy = m.Metadata.Actor;
        record.Consent = m.Consent;
        record.ThreatTypes = [.. record.ThreatTypes.Union(m.Threats.Select(t => t.Type)).Order()];
    }

    public static void ThreatReported(KnownCase record, ThreatReported m) =>
        record.ThreatTypes = [.. record.ThreatTypes.Append(m.Threat.Type).Distinct().Order()];

    public static void Risk(KnownCase record, RiskAssessed m)
    {
        if (m.TriageVersion > record.RiskVersion)
        {
            (record.Risk, record.RiskVersion) = (m.Level, m.TriageVersion);
        }
    }

    public static void Assigned(KnownCase record, CaseAssigned m)
    {
        if (m.TriageVersion > record.AssignmentVersion)
        {
            (record.AssignedTo, record.AssignmentVersion) = (m.Officer, m.TriageVersion);
        }
    }

    public static void Status(KnownCase record, bool closed, long triageVersion)
    {
        if (triageVersion > record.StatusVersion)
        {
            (record.Closed, record.StatusVersion) = (closed, triageVersion);
        }
    }
}

public abstract class RecordOpenedCase<TCase>(IDocumentStore store, TimeProvider clock) : KnownCaseConsumer<CaseOpened, TCase>(store, clock)
    where TCase : KnownCase, new()
{
    protected override Task Apply(IDocumentSession session, TCase record, CaseOpened message, CancellationToken cancellationToken)
    {
        KnownCaseFacts.Opened(record, message);
        return Task.CompletedTask;
    }
}

public abstract class RecordReportedThreat<TCase>(IDocumentStore store, TimeProvider clock) : KnownCaseConsumer<ThreatReported, TCase>(store, clock)
    where TCase : KnownCase, new()
{
    protected override Task Apply(IDocumentSession session, TCase record, ThreatReported message, CancellationToken cancellationToken)
    {
        KnownCaseFacts.ThreatReported(record, message);
        return Task.CompletedTask;
    }
}

public abstract class RecordRisk<TCase>(IDocumentStore store, TimeProvider clock) : KnownCaseConsumer<RiskAssessed, TCase>(store, clock)
    where TCase : KnownCase, new()
{
    protected override Task Apply(IDocumentSession session, TCase record, RiskAssessed message, CancellationToken cancellationToken)
    {
        KnownCaseFacts.Risk(record, message);
        return Task.CompletedTask;
    }
}

public abstract class RecordAssignment<TCase>(IDocumentStore store, TimeProvider clock) : KnownCaseConsumer<CaseAssigned, TCase>(store, clock)
    where TCase : KnownCase, new()
{
    protected override Task Apply(IDocumentSession session, TCase record, CaseAssigned message, CancellationToken cancellationToken)
    {
        KnownCaseFacts.Assigned(record, message);
        return Task.CompletedTask;
    }
}

public abstract class RecordClosure<TCase>(IDocumentStore store, TimeProvider clock) : KnownCaseConsumer<CaseClosed, TCase>(store, clock)
    where TCase : KnownCase, new()
{
    protected override Task Apply(IDocumentSession session, TCase record, CaseClosed message, CancellationToken cancellationToken)
    {
        KnownCaseFacts.Status(record, closed: true, message.TriageVersion);
        return Task.CompletedTask;
    }
}

public abstract class RecordReopening<TCase>(IDocumentStore store, TimeProvider clock) : KnownCaseConsumer<CaseReopened, TCase>(store, clock)
    where TCase : KnownCase, new()
{
    protected override Task Apply(IDocumentSession session, TCase record, CaseReopened message, CancellationToken cancellationToken)
    {
        KnownCaseFacts.Status(record, closed: false, message.TriageVersion);
        return Task.CompletedTask;
    }
}
