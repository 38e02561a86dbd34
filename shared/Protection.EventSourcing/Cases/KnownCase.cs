using System.Security.Claims;
using Marten;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EventSourcing.Messaging;
using Protection.ServiceDefaults.Auth;

namespace Protection.EventSourcing.Cases;

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

    /// <summary>The organisation that owns the case; null until intake's <c>CaseOpened</c> arrived.</summary>
    public string? Organisation { get; set; }

    /// <summary>The organisations the case is shared with (read only).</summary>
    public List<CasePartner> Partners { get; set; } = [];

    /// <summary>Intake's case version of <see cref="Organisation"/> and <see cref="Partners"/>.</summary>
    public long HoldersVersion { get; set; }

    /// <summary>Intake's case version <see cref="Consent"/> is from.</summary>
    public long ConsentVersion { get; set; }

    /// <summary>The triage version each fact was last set at; an older message never overwrites a newer fact.</summary>
    public long RiskVersion { get; set; }

    public long StatusVersion { get; set; }

    public long AssignmentVersion { get; set; }

    /// <summary>True once intake's <c>CaseOpened</c> arrived (other messages may come first).</summary>
    public bool IsKnown => !string.IsNullOrEmpty(OpenedBy);

    public string ResponsibleOfficer => AssignedTo ?? OpenedBy;

    /// <summary>How <paramref name="user"/> stands towards the case by organisation.</summary>
    public CaseStanding StandingOf(ClaimsPrincipal user) => OrganisationRule.StandingOf(user, Organisation, Partners);

    /// <summary>The shared caseworker rule on this copy: the owner's supervisors and responsible officer.</summary>
    public bool IsCaseworker(ClaimsPrincipal user) =>
        CaseworkerRule.IsCaseworker(user, Organisation, IsKnown ? ResponsibleOfficer : null);
}

/// <summary>
/// Consumers that keep a <see cref="KnownCase"/> current, a batch of messages at a time: each case is read
/// once, every message about it applied in turn, and the changes commit with the messages' markers.
/// </summary>
public abstract class KnownCaseConsumer<TMessage, TCase>(IDocumentStore store, TimeProvider clock)
    : IdempotentBatchConsumer<TMessage>(store, clock)
    where TMessage : class, IIntegrationEvent
    where TCase : KnownCase, new()
{
    protected override async Task Handle(
        IDocumentSession session, IReadOnlyList<TMessage> messages, CancellationToken cancellationToken)
    {
        var records = (await session.LoadManyAsync<TCase>(
                cancellationToken, messages.Select(message => message.CaseId).Distinct()))
            .ToDictionary(record => record.Id);
        foreach (var message in messages)
        {
            if (!records.TryGetValue(message.CaseId, out var record))
            {
                records[message.CaseId] = record = new TCase { Id = message.CaseId, Reference = message.CaseReference };
            }

            Apply(record, message);
        }

        session.Store(records.Values.ToArray());
    }

    protected abstract void Apply(TCase record, TMessage message);
}

/// <summary>
/// Records one of the facts every downstream service keeps (<see cref="KnownCaseFacts.Apply"/>); a
/// service derives one concrete consumer per message, e.g.
/// <c>RecordOpenedCase : RecordCaseFact&lt;CaseOpened, CaseRecord&gt;</c>.
/// </summary>
public abstract class RecordCaseFact<TMessage, TCase>(IDocumentStore store, TimeProvider clock)
    : KnownCaseConsumer<TMessage, TCase>(store, clock)
    where TMessage : class, IIntegrationEvent
    where TCase : KnownCase, new()
{
    protected override void Apply(TCase record, TMessage message) => KnownCaseFacts.Apply(record, message);
}

/// <summary>
/// How each of intake's and triage's events changes a <see cref="KnownCase"/>. Triage's facts keep the
/// newest triage version; the holders and the consent keep the newest intake version (the case opened at 1).
/// </summary>
public static class KnownCaseFacts
{
    public static void Apply(KnownCase record, IIntegrationEvent message)
    {
        switch (message)
        {
            case CaseOpened m:
                record.Country = m.Country;
                record.OpenedBy = m.Metadata.Actor;
                if (record.ConsentVersion < 1)
                {
                    (record.Consent, record.ConsentVersion) = (m.Consent, 1);
                }

                if (record.HoldersVersion < 1)
                {
                    (record.Organisation, record.HoldersVersion) = (m.Organisation, 1);
                }

                record.ThreatTypes = [.. record.ThreatTypes.Union(m.Threats.Select(t => t.Type)).Order()];
                break;
            case ThreatReported m:
                record.ThreatTypes = [.. record.ThreatTypes.Append(m.Threat.Type).Distinct().Order()];
                break;
            case RiskAssessed m when m.TriageVersion > record.RiskVersion:
                (record.Risk, record.RiskVersion) = (m.Level, m.TriageVersion);
                break;
            case CaseAssigned m when m.TriageVersion > record.AssignmentVersion:
                (record.AssignedTo, record.AssignmentVersion) = (m.Officer, m.TriageVersion);
                break;
            case CaseClosed m when m.TriageVersion > record.StatusVersion:
                (record.Closed, record.StatusVersion) = (true, m.TriageVersion);
                break;
            case CaseReopened m when m.TriageVersion > record.StatusVersion:
                (record.Closed, record.StatusVersion) = (false, m.TriageVersion);
                break;
            case CaseHoldersChanged m when m.CaseVersion > record.HoldersVersion:
                (record.Organisation, record.Partners, record.HoldersVersion) =
                    (m.Owner, [.. m.Partners], m.CaseVersion);
                break;
            case ConsentChanged m when m.CaseVersion > record.ConsentVersion:
                (record.Consent, record.ConsentVersion) = (m.Consent, m.CaseVersion);
                break;
            case RiskAssessed or CaseAssigned or CaseClosed or CaseReopened or CaseHoldersChanged or ConsentChanged:
                break; // older than the fact held
            default:
                throw new ArgumentException(
                    $"A known case has no fact from {message.GetType().Name}.", nameof(message));
        }
    }
}
