using Marten;
using Protection.Contracts;
using Protection.Contracts.Assistance;
using Protection.Contracts.Relocation;
using Protection.Contracts.Triage;
using Protection.EventSourcing.Messaging;

namespace Protection.Intake.Cases.News;

/// <summary>
/// Notes what triage, emergency assistance and relocation published about a case in its
/// <see cref="CaseProgress"/>, never in the case's stream: the stream (and the case's ETag) moves
/// only on intake's own decisions. Idempotent by message id; a fact about a case intake does not
/// hold changes nothing. Messages come in batches (each progress read once, the batch's facts noted in
/// turn). Two consumers noting facts of one case at once collide on the progress's version (optimistic
/// concurrency): the loser fails, and its messages are retried on the new progress.
/// </summary>
public abstract class NoteNews<TMessage>(IDocumentStore store, TimeProvider clock)
    : IdempotentBatchConsumer<TMessage>(store, clock)
    where TMessage : class, IIntegrationEvent
{
    protected override async Task Handle(
        IDocumentSession session, IReadOnlyList<TMessage> messages, CancellationToken cancellationToken)
    {
        var progresses = (await session.LoadManyAsync<CaseProgress>(
                cancellationToken, messages.Select(message => message.CaseId).Distinct()))
            .ToDictionary(progress => progress.Id);
        var now = Clock.GetUtcNow();
        foreach (var facts in messages.GroupBy(message => message.CaseId))
        {
            if (progresses.TryGetValue(facts.Key, out var progress))
            {
                session.Update(facts.Aggregate(progress, (noted, message) => noted.Learn(Fact(message, now))));
            }
        }
    }

    /// <summary>The fact the message tells, noted now.</summary>
    protected abstract LearnedFact Fact(TMessage message, DateTimeOffset now);
}

public sealed class NoteTriageStarted(IDocumentStore store, TimeProvider clock) : NoteNews<TriageStarted>(store, clock)
{
    protected override LearnedFact Fact(TriageStarted m, DateTimeOffset now) =>
        LearnedFact.TriageStarted(m.Risk, m.DueAt, m.TriageVersion, now);
}

public sealed class NoteRiskAssessed(IDocumentStore store, TimeProvider clock) : NoteNews<RiskAssessed>(store, clock)
{
    protected override LearnedFact Fact(RiskAssessed m, DateTimeOffset now) =>
        LearnedFact.RiskAssessed(m.Level, m.Basis, m.TriageVersion, now);
}

public sealed class NoteCaseAssigned(IDocumentStore store, TimeProvider clock) : NoteNews<CaseAssigned>(store, clock)
{
    protected override LearnedFact Fact(CaseAssigned m, DateTimeOffset now) =>
        LearnedFact.Assigned(m.Officer, m.TriageVersion, now);
}

public sealed class NoteCaseClosed(IDocumentStore store, TimeProvider clock) : NoteNews<CaseClosed>(store, clock)
{
    protected override LearnedFact Fact(CaseClosed m, DateTimeOffset now) => LearnedFact.Closed(m.TriageVersion, now);
}

public sealed class NoteCaseReopened(IDocumentStore store, TimeProvider clock) : NoteNews<CaseReopened>(store, clock)
{
    protected override LearnedFact Fact(CaseReopened m, DateTimeOffset now) =>
        LearnedFact.Reopened(m.DueAt, m.TriageVersion, now);
}

public sealed class NoteGrantRequested(IDocumentStore store, TimeProvider clock)
    : NoteNews<GrantRequested>(store, clock)
{
    protected override LearnedFact Fact(GrantRequested m, DateTimeOffset now) =>
        LearnedFact.About(LearnedKind.GrantOpened, m.GrantId, now);
}

public sealed class NoteGrantRejected(IDocumentStore store, TimeProvider clock) : NoteNews<GrantRejected>(store, clock)
{
    protected override LearnedFact Fact(GrantRejected m, DateTimeOffset now) =>
        LearnedFact.About(LearnedKind.GrantEnded, m.GrantId, now);
}

public sealed class NoteGrantWithdrawn(IDocumentStore store, TimeProvider clock)
    : NoteNews<GrantWithdrawn>(store, clock)
{
    protected override LearnedFact Fact(GrantWithdrawn m, DateTimeOffset now) =>
        LearnedFact.About(LearnedKind.GrantEnded, m.GrantId, now);
}

public sealed class NoteGrantReportSubmitted(IDocumentStore store, TimeProvider clock)
    : NoteNews<GrantReportSubmitted>(store, clock)
{
    protected override LearnedFact Fact(GrantReportSubmitted m, DateTimeOffset now) =>
        LearnedFact.About(LearnedKind.GrantEnded, m.GrantId, now);
}

public sealed class NoteRelocationRequested(IDocumentStore store, TimeProvider clock)
    : NoteNews<RelocationRequested>(store, clock)
{
    protected override LearnedFact Fact(RelocationRequested m, DateTimeOffset now) =>
        LearnedFact.About(LearnedKind.RelocationOpened, m.RelocationId, now);
}

public sealed class NoteRelocationClosed(IDocumentStore store, TimeProvider clock)
    : NoteNews<RelocationClosed>(store, clock)
{
    protected override LearnedFact Fact(RelocationClosed m, DateTimeOffset now) =>
        LearnedFact.About(LearnedKind.RelocationClosed, m.RelocationId, now);
}
