using Marten;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Cases.Reading;

namespace Protection.Triage.Cases;

/// <summary>
/// Triage's commands on <see cref="CommandPath"/>: the case loaded for writing (404), who may act
/// by organisation (404 to anyone it does not concern, <see cref="CaseAccess"/>) and role
/// (403), the version the caller read (409), then the decision, appended with what it publishes;
/// the answer is the case as it now is, its sealed texts opened for the caller.
/// </summary>
public sealed class CasePath(IDocumentStore store, CaseKeys keys, TimeProvider clock)
{
    /// <summary>A command that writes no free text.</summary>
    public Task<Outcome<TriageView>> RunAsync(
        HttpContext http,
        Guid id,
        Actor actor,
        Func<TriageCase, DateTimeOffset, Outcome<Decided>> decide,
        CancellationToken cancellationToken) =>
        RunAsync(http, id, actor, seals: false, (@case, _, now) => decide(@case, now), (view, _) => view,
            cancellationToken);

    /// <summary>
    /// A command that writes free text: <paramref name="decide"/> seals it with the case's key, which
    /// is made (and stored with the events) when the case's first text is sealed. After an erasure
    /// that is a new key: what was sealed before still reads "[erased]".
    /// </summary>
    public Task<Outcome<TriageView>> RunAsync(
        HttpContext http,
        Guid id,
        Actor actor,
        Func<TriageCase, CaseSeal, DateTimeOffset, Outcome<Decided>> decide,
        CancellationToken cancellationToken) =>
        RunAsync(http, id, actor, seals: true, (@case, seal, now) => decide(@case, seal!, now), (view, _) => view,
            cancellationToken);

    /// <summary>The same, answering <paramref name="answer"/> of the case's view and what was decided.</summary>
    public Task<Outcome<TAnswer>> RunAsync<TAnswer>(
        HttpContext http,
        Guid id,
        Actor actor,
        bool seals,
        Func<TriageCase, CaseSeal?, DateTimeOffset, Outcome<Decided>> decide,
        Func<TriageView, Decided, TAnswer> answer,
        CancellationToken cancellationToken)
    {
        // Who holds the case (intake's news, a document of its own) is read where the actor is judged,
        // and judged again on the answer: the texts it opens are the caseworkers' only.
        CaseHolding? holding = null;
        return CommandPath.RunAsync<TriageCase, TAnswer>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            CaseAccess.What,
            async (session, @case) =>
            {
                holding = await CaseHolding.OfAsync(session, id, cancellationToken);
                return CaseAccess.Change(http.User, @case, holding, actor);
            },
            async (session, stream) =>
            {
                var now = clock.GetUtcNow();
                var seal = await keys.ForCaseAsync(session, id, create: seals, now, cancellationToken);
                var decided = decide(stream.Aggregate!, seal, now);
                if (decided.Refusal is { } refused)
                {
                    return refused;
                }

                var after = decided.Value!.AppendTo(session, stream, now);
                after.Version = stream.CurrentVersion ?? 0;
                return answer(TriageView.Of(after, holding!, seal, http.User, now), decided.Value!);
            },
            cancellationToken);
    }
}
