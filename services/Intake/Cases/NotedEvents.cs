using JasperFx;
using Marten;
using Marten.Schema;
using Protection.Contracts.Triage;
using Protection.EventSourcing.EventStore;

namespace Protection.Intake.Cases;

// Until intake kept what it learns in CaseProgress, its consumers appended these events to the case's
// own stream. Streams written then still hold them, inside their hash chain: the types stay so those
// streams load, verify (the hash covers each event's data as these records serialize it, so their
// shapes must not change) and read in the history. They apply nothing to the case; their facts were
// moved to the case's CaseProgress when the service first started with it (ProgressOfEarlierCases).

/// <summary>An event older case streams hold: what intake then recorded of another service's fact.</summary>
public interface INotedEarlier : IDescribed
{
    LearnedFact Fact();
}

public sealed record TriageStartedNoted(
    Guid CaseId, RiskLevel Risk, DateTimeOffset DueAt, long TriageVersion, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.TriageStarted(Risk, DueAt, TriageVersion, NotedAt);

    public string Describe() => $"Triage took the case in at {Risk} risk; first triage due {DueAt:u}";
}

public sealed record RiskLevelNoted(
    Guid CaseId, RiskLevel Level, RiskBasis Basis, long TriageVersion, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.RiskAssessed(Level, Basis, TriageVersion, NotedAt);

    public string Describe() => $"Risk in force is {Level} ({Basis})";
}

public sealed record OfficerAssignmentNoted(Guid CaseId, string Officer, long TriageVersion, DateTimeOffset NotedAt)
    : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.Assigned(Officer, TriageVersion, NotedAt);

    public string Describe() => $"Assigned to {Officer}";
}

public sealed record CaseClosureNoted(Guid CaseId, CaseOutcome Outcome, long TriageVersion, DateTimeOffset NotedAt)
    : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.Closed(TriageVersion, NotedAt);

    public string Describe() => $"Case closed: {Outcome}";
}

public sealed record CaseReopeningNoted(
    Guid CaseId, RiskLevel Risk, DateTimeOffset DueAt, long TriageVersion, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.Reopened(DueAt, TriageVersion, NotedAt);

    public string Describe() => $"Case re-opened at {Risk} risk; triage due {DueAt:u}";
}

public sealed record GrantOpenedNoted(Guid CaseId, Guid GrantId, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.About(LearnedKind.GrantOpened, GrantId, NotedAt);

    public string Describe() => $"Grant {GrantId} requested";
}

public sealed record GrantClosedNoted(Guid CaseId, Guid GrantId, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.About(LearnedKind.GrantEnded, GrantId, NotedAt);

    public string Describe() => $"Grant {GrantId} ended";
}

public sealed record RelocationOpenedNoted(Guid CaseId, Guid RelocationId, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.About(LearnedKind.RelocationOpened, RelocationId, NotedAt);

    public string Describe() => $"Relocation {RelocationId} requested";
}

public sealed record RelocationClosedNoted(Guid CaseId, Guid RelocationId, DateTimeOffset NotedAt) : INotedEarlier
{
    public LearnedFact Fact() => LearnedFact.About(LearnedKind.RelocationClosed, RelocationId, NotedAt);

    public string Describe() => $"Relocation {RelocationId} closed";
}

/// <summary>
/// Gives every case opened before <see cref="CaseProgress"/> existed its progress, with the facts its
/// stream noted. Runs when the store starts, before the consumers do; a case that has its progress
/// is left alone, so it does nothing after the first start.
/// </summary>
public sealed class ProgressOfEarlierCases : IInitialData
{
    public static readonly Type[] EventTypes =
    [
        typeof(TriageStartedNoted), typeof(RiskLevelNoted), typeof(OfficerAssignmentNoted), typeof(CaseClosureNoted),
        typeof(CaseReopeningNoted), typeof(GrantOpenedNoted), typeof(GrantClosedNoted), typeof(RelocationOpenedNoted),
        typeof(RelocationClosedNoted),
    ];

    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var schema = store.Options.Schema;
        var without = await session.AdvancedSql.QueryAsync<Guid>(
            $"select c.id from {schema.For<Case>()} c where not exists "
            + $"(select 1 from {schema.For<CaseProgress>()} p where p.id = c.id)",
            cancellation);
        foreach (var caseId in without)
        {
            var events = await session.Events.FetchStreamAsync(caseId, token: cancellation);
            var facts = events.Select(e => e.Data).OfType<INotedEarlier>().Select(n => n.Fact());
            session.Insert(facts.Aggregate(CaseProgress.Of(caseId), (progress, fact) => progress.Learn(fact)));
        }

        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Another instance of the service moved them first, from the same streams.
        }
    }
}
