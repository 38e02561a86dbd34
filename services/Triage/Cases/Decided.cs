using JasperFx.Events;
using Marten;
using Protection.Contracts;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Messaging;

namespace Protection.Triage.Cases;

/// <summary>
/// Triage recommends a relocation: published with the events decided, not stored (an officer
/// decides whether to relocate, in the relocation service).
/// </summary>
public sealed record RelocationRecommendation(RiskLevel Level, IReadOnlyList<string> DecisiveRules)
{
    public RelocationRecommended Published(TriageCase after, long version, EventMetadata metadata) =>
        new(after.Id, after.Reference, Level, DecisiveRules, version, metadata);
}

/// <summary>What a decision appends to the case's stream, and the relocation it recommends, if any.</summary>
public sealed record Decided(IReadOnlyList<object> Events, RelocationRecommendation? Recommends = null)
{
    public static readonly Decided Nothing = new([]);

    /// <summary>
    /// Appends the events at the version read (a concurrent writer makes the commit fail); they and the
    /// recommendation are queued for publishing in the same transaction. Returns the case after them.
    /// </summary>
    public TriageCase AppendTo(IDocumentSession session, IEventStream<TriageCase> stream, DateTimeOffset now)
    {
        var after = StreamChanges.Append(session, stream, Events, now);
        Recommend(session, after, stream.CurrentVersion ?? 0, now);
        return after;
    }

    /// <summary>Starts the stream of a case taken in (<see cref="CaseTakenIn"/> first).</summary>
    public TriageCase StartIn(IDocumentSession session, DateTimeOffset now)
    {
        var takenIn = (CaseTakenIn)Events[0];
        var after = StreamChanges.Start(session, takenIn.CaseId, takenIn, Events.Skip(1).ToArray(), now);
        Recommend(session, after, Events.Count, now);
        return after;
    }

    private void Recommend(IDocumentSession session, TriageCase after, long version, DateTimeOffset now)
    {
        if (Recommends is { } recommendation)
        {
            var metadata = OperationContext.Current!.ToEventMetadata(now);
            session.PublishAfterCommit(recommendation.Published(after, version, metadata));
        }
    }
}
