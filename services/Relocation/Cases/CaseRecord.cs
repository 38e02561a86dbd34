using Marten;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Relocations.Relocations;
using Protection.EventSourcing.Cases;

namespace Protection.Relocations.Cases;

/// <summary>Triage recommended a relocation when the case became critical.</summary>
public sealed record Recommendation(
    RiskLevel Risk, IReadOnlyList<string> Rules, DateTimeOffset At, long TriageVersion);

/// <summary>
/// What relocation knows of a case: the shared facts (reference, country, risk, who is responsible),
/// the relocation in progress, triage's recommendation, and relocation grants paid before any
/// relocation was requested (the next request takes them).
/// </summary>
public sealed class CaseRecord : KnownCase
{
    public Guid? ActiveRelocationId { get; set; }

    public Recommendation? Recommendation { get; set; }

    public List<Funding> UnassignedFunding { get; set; } = [];
}

public sealed class RecordOpenedCase(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseOpened, CaseRecord>(store, clock);

public sealed class RecordRisk(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<RiskAssessed, CaseRecord>(store, clock);

public sealed class RecordAssignment(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseAssigned, CaseRecord>(store, clock);

public sealed class RecordClosure(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseClosed, CaseRecord>(store, clock);

public sealed class RecordReopening(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseReopened, CaseRecord>(store, clock);

/// <summary>Who holds the case changed (shared, transferred, a share revoked): it bounds who reads and acts.</summary>
public sealed class RecordHolders(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<CaseHoldersChanged, CaseRecord>(store, clock);

/// <summary>The defender's consent changed: a withdrawal holds on the host's next read.</summary>
public sealed class RecordConsent(IDocumentStore store, TimeProvider clock)
    : RecordCaseFact<ConsentChanged, CaseRecord>(store, clock);

public sealed class RecordRecommendation(IDocumentStore store, TimeProvider clock)
    : KnownCaseConsumer<RelocationRecommended, CaseRecord>(store, clock)
{
    protected override void Apply(CaseRecord record, RelocationRecommended m)
    {
        if (record.Recommendation is null || m.TriageVersion > record.Recommendation.TriageVersion)
        {
            record.Recommendation = new Recommendation(m.Risk, m.Rules, m.Metadata.OccurredAt, m.TriageVersion);
        }
    }
}
