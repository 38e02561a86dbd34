using Marten;
using Protection.EventSourcing.Messaging;
using Published = Protection.Contracts.Cases;

namespace Protection.Triage.Cases.News;

/// <summary>
/// A case intake opened enters the triage queue at once, with a preliminary risk and a deadline; its owner
/// organisation is kept in the case's <see cref="CaseHolding"/> (the opening is intake's version 1, so a
/// newer holding that arrived first stays).
/// </summary>
public sealed class TakeInOpenedCase(IDocumentStore store, TimeProvider clock, TriageDecisions decisions)
    : IdempotentConsumer<Published.CaseOpened>(store, clock)
{
    protected override async Task Handle(
        IDocumentSession session, Published.CaseOpened message, CancellationToken cancellationToken)
    {
        var holding = await CaseHolding.OfAsync(session, message.CaseId, cancellationToken);
        if (holding.Learn(message.Organisation, [], version: 1))
        {
            session.Store(holding);
        }

        if (await session.Events.FetchStreamStateAsync(message.CaseId, cancellationToken) is not null)
        {
            return; // already taken in under another message id (a re-published copy)
        }

        var now = Clock.GetUtcNow();
        var takenIn = decisions.TakeIn(
            message.CaseId, message.CaseReference, message.Country, message.Metadata.Actor, message.OpenedAt,
            message.Threats, message.PeopleAtRisk, message.Consent, now);
        takenIn.StartIn(session, now);
    }
}

/// <summary>
/// Intake's case changed hands or was shared (a referral accepted, a share revoked): the newest holding
/// (by intake's case version) is kept, whatever order the messages arrive in; an older one changes nothing.
/// Triage's own case stream is untouched: who holds the case is intake's decision, not triage's.
/// </summary>
public sealed class RecordCaseHolders(IDocumentStore store, TimeProvider clock)
    : IdempotentConsumer<Published.CaseHoldersChanged>(store, clock)
{
    protected override async Task Handle(
        IDocumentSession session, Published.CaseHoldersChanged message, CancellationToken cancellationToken)
    {
        var holding = await CaseHolding.OfAsync(session, message.CaseId, cancellationToken);
        if (holding.Learn(message.Owner, message.Partners, message.CaseVersion))
        {
            session.Store(holding);
        }
    }
}

/// <summary>A new threat re-opens triage, re-computes the preliminary risk and escalates when it rises.</summary>
public sealed class AddReportedThreat(IDocumentStore store, TimeProvider clock, TriageDecisions decisions)
    : IdempotentConsumer<Published.ThreatReported>(store, clock)
{
    protected override async Task Handle(
        IDocumentSession session, Published.ThreatReported message, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<TriageCase>(message.CaseId, cancellationToken);
        if (stream.Aggregate is null)
        {
            // CaseOpened travels on another queue and may not have arrived yet: fail, so the message is retried.
            throw new CaseNotYetKnownException(message.CaseId);
        }

        var now = Clock.GetUtcNow();
        decisions.AddThreat(stream.Aggregate, message.Threat, now).AppendTo(session, stream, now);
    }
}

public sealed class CaseNotYetKnownException(Guid caseId)
    : ArrivedEarlyException($"Triage does not know case {caseId} yet; the message will be retried.");
