using Marten;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EventSourcing.Cases;

namespace Protection.EmergencyAssistance.Cases;

/// <summary>
/// What emergency assistance knows of a case, from intake's and triage's events: the
/// non-identifying facts funders may see (reference, country, threat types, risk), who holds it (owner and
/// partners) and the consent in force.
/// </summary>
public sealed class CaseRecord : KnownCase;

public sealed class RecordOpenedCase(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseOpened, CaseRecord>(store, clock);

public sealed class RecordReportedThreat(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<ThreatReported, CaseRecord>(store, clock);

public sealed class RecordRisk(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<RiskAssessed, CaseRecord>(store, clock);

public sealed class RecordAssignment(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseAssigned, CaseRecord>(store, clock);

public sealed class RecordClosure(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseClosed, CaseRecord>(store, clock);

public sealed class RecordReopening(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseReopened, CaseRecord>(store, clock);

public sealed class RecordCaseHolders(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseHoldersChanged, CaseRecord>(store, clock);

public sealed class RecordConsent(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<ConsentChanged, CaseRecord>(store, clock);
