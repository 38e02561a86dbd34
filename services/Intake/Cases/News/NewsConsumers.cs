using Marten;
using Protection.Contracts;
using Protection.Contracts.Assistance;
using Protection.Contracts.Relocation;
using Protection.Contracts.Triage;
using Protection.EventSourcing.Messaging;

namespace Protection.Intake.Cases.News;

/// <summary>
/// Records what triage, emergency assistance and relocation published about a case in the case's
/// own stream, so intake's case file (risk, assignee, open or closed, and the stage the grants and
/// relocations opened and ended put it in) is derived from events. Idempotent by message id; an
/// event about a case intake does not hold changes nothing.
/// </summary>
public abstract class NoteNews<TMessage>(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<TMessage>(store, clock)
    where TMessage : class, IIntegrationEvent
{
    protected override async Task Handle(IDocumentSession session, TMessage message, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Case>(message.CaseId, cancellationToken);
        if (stream.Aggregate is not null)
        {
            stream.AppendOne(Note(message, Clock.GetUtcNow()));
        }
    }

    protected abstract object Note(TMessage message, DateTimeOffset now);
}

public sealed class NoteTriageStarted(IDocumentStore store, TimeProvider clock) : NoteNews<TriageStarted>(store, clock)
{
    protected override object Note(TriageStarted m, DateTimeOffset now) => new TriageStartedNoted(m.CaseId, m.Risk, m.DueAt, m.TriageVersion, now);
}

public sealed class NoteRiskAssessed(IDocumentStore store, TimeProvider clock) : NoteNews<RiskAssessed>(store, clock)
{
    protected override object Note(RiskAssessed m, DateTimeOffset now) => new RiskLevelNoted(m.CaseId, m.Level, m.Basis, m.TriageVersion, now);
}

public sealed class NoteCaseAssigned(IDocumentStore store, TimeProvider clock) : NoteNews<CaseAssigned>(store, clock)
{
    protected override object Note(CaseAssigned m, DateTimeOffset now) => new OfficerAssignmentNoted(m.CaseId, m.Officer, m.TriageVersion, now);
}

public sealed class NoteCaseClosed(IDocumentStore store, TimeProvider clock) : NoteNews<CaseClosed>(store, clock)
{
    protected override object Note(CaseClosed m, DateTimeOffset now) => new CaseClosureNoted(m.CaseId, m.Outcome, m.TriageVersion, now);
}

public sealed class NoteCaseReopened(IDocumentStore store, TimeProvider clock) : NoteNews<CaseReopened>(store, clock)
{
    protected override object Note(CaseReopened m, DateTimeOffset now) => new CaseReopeningNoted(m.CaseId, m.Risk, m.DueAt, m.TriageVersion, now);
}

public sealed class NoteGrantRequested(IDocumentStore store, TimeProvider clock) : NoteNews<GrantRequested>(store, clock)
{
    protected override object Note(GrantRequested m, DateTimeOffset now) => new GrantOpenedNoted(m.CaseId, m.GrantId, now);
}

public sealed class NoteGrantRejected(IDocumentStore store, TimeProvider clock) : NoteNews<GrantRejected>(store, clock)
{
    protected override object Note(GrantRejected m, DateTimeOffset now) => new GrantClosedNoted(m.CaseId, m.GrantId, now);
}

public sealed class NoteGrantWithdrawn(IDocumentStore store, TimeProvider clock) : NoteNews<GrantWithdrawn>(store, clock)
{
    protected override object Note(GrantWithdrawn m, DateTimeOffset now) => new GrantClosedNoted(m.CaseId, m.GrantId, now);
}

public sealed class NoteGrantReportSubmitted(IDocumentStore store, TimeProvider clock) : NoteNews<GrantReportSubmitted>(store, clock)
{
    protected override object Note(GrantReportSubmitted m, DateTimeOffset now) => new GrantClosedNoted(m.CaseId, m.GrantId, now);
}

public sealed class NoteRelocationRequested(IDocumentStore store, TimeProvider clock) : NoteNews<RelocationRequested>(store, clock)
{
    protected override object Note(RelocationRequested m, DateTimeOffset now) => new RelocationOpenedNoted(m.CaseId, m.RelocationId, now);
}

public sealed class NoteRelocationClosed(IDocumentStore store, TimeProvider clock) : NoteNews<RelocationClosed>(store, clock)
{
    protected override object Note(RelocationClosed m, DateTimeOffset now) => new RelocationClosedNoted(m.CaseId, m.RelocationId, now);
}
