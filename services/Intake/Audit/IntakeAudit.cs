using Marten;
using Protection.Contracts.Triage;
using Protection.Intake.Cases;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
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

/// <summary>
/// Intake's part of a case's audit: the case stream, one line per event, and the case at a moment
/// (folded from its events) with what intake had learned of it by then.
/// </summary>
public sealed class IntakeAudit : ICaseAuditSource
{
    public bool OwnsCases => true;

    public async Task<IReadOnlyList<AuditedStream>> StreamsAsync(
        IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        await session.Events.FetchStreamStateAsync(caseId, cancellationToken) is null
            ? []
            : [new AuditedStream(caseId, "case")];

    /// <summary>The organisation that owns the case: intake's case document keeps it.</summary>
    public async Task<string?> OwnerAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        (await session.LoadAsync<Case>(caseId, cancellationToken))?.Organisation;

    public async Task<object?> StateAsync(
        IQuerySession session,
        Guid caseId,
        IReadOnlyList<AuditedStream> streams,
        DateTimeOffset? asOf,
        CancellationToken cancellationToken)
    {
        var c = await session.Events.AggregateStreamAsync<Case>(caseId, timestamp: asOf, token: cancellationToken);
        if (c is null)
        {
            return null;
        }

        var progress = await session.LoadAsync<CaseProgress>(caseId, cancellationToken) ?? CaseProgress.Of(caseId);
        var learned = progress.AsOf(asOf);
        return new IntakeState(
            learned.Status,
            learned.Stage,
            learned.Risk,
            CaseAccess.ResponsibleOfficer(c, learned),
            c.Threats.Count,
            c.ThreatTypes,
            learned.OpenGrants,
            learned.OpenRelocations,
            c.ErasedAt is not null,
            c.Version,
            c.LastChangedAt);
    }
}
