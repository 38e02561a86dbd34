using JasperFx;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Reading;

namespace Protection.Triage.Cases;

/// <summary>Who may change a case.</summary>
public enum Actor
{
    Caseworker,
    Supervisor,
}

/// <summary>What a command decided: the events to append, or the problem that refuses it.</summary>
public sealed record Decision(IReadOnlyList<object> Events, ProblemHttpResult? Problem)
{
    public static implicit operator Decision(List<object> events) => new(events, null);

    public static implicit operator Decision(object[] events) => new(events, null);

    public static implicit operator Decision(ProblemHttpResult problem) => new([], problem);
}

/// <summary>The steps every triage command shares: load at a version, check access and state, append, answer with the new state.</summary>
public static class CaseCommands
{
    /// <summary>
    /// Loads the case, lets <paramref name="decide"/> turn it into events (or a problem), commits them and
    /// answers the new state. For commands that write no free text.
    /// </summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Execute(
        Guid id,
        HttpContext http,
        IDocumentSession session,
        TimeProvider clock,
        Actor actor,
        bool mustBeOpen,
        Func<TriageCase, DateTimeOffset, Decision> decide,
        CancellationToken cancellationToken) =>
        Run(id, http, session, clock, actor, mustBeOpen, seals: false, (@case, _, now) => decide(@case, now), cancellationToken);

    /// <summary>
    /// The same for commands that write free text: <paramref name="decide"/> seals it with the case's
    /// key, which is made (and stored with the events) when the case's first text is sealed. After
    /// an erasure that is a new key: what was sealed before still reads "[erased]".
    /// </summary>
    public static Task<Results<Ok<TriageView>, ProblemHttpResult>> Execute(
        Guid id,
        HttpContext http,
        IDocumentSession session,
        TimeProvider clock,
        Actor actor,
        bool mustBeOpen,
        Func<TriageCase, CaseSeal, DateTimeOffset, Decision> decide,
        CancellationToken cancellationToken) =>
        Run(id, http, session, clock, actor, mustBeOpen, seals: true, (@case, seal, now) => decide(@case, seal!, now), cancellationToken);

    /// <summary>Loads the case for a change, or the problem that stops it (404, 403, 409 for a stale If-Match or a closed case).</summary>
    public static async Task<(IEventStream<TriageCase>? Stream, ProblemHttpResult? Problem)> Load(
        Guid id, HttpContext http, IDocumentSession session, Actor actor, bool mustBeOpen, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<TriageCase>(id, cancellationToken);
        var @case = stream.Aggregate;
        if (@case is null)
        {
            return (null, Problems.NotFound("The case"));
        }

        var allowed = actor == Actor.Supervisor ? CaseAccess.IsSupervisor(http.User) : CaseAccess.IsCaseworker(http.User, @case);
        if (!allowed)
        {
            return (null, Problems.Forbidden(actor == Actor.Supervisor ? "Only a supervisor can do this." : "This case is not assigned to you."));
        }

        if (Problems.IfMatchVersion(http.Request) is { } expected && expected != stream.CurrentVersion)
        {
            return (null, Problems.StaleVersion(stream.CurrentVersion ?? 0));
        }

        if (mustBeOpen && @case.Status == TriageStatus.Closed)
        {
            return (null, Problems.Conflict("The case is closed. Re-open it first (POST /api/cases/{id}/reopen)."));
        }

        return (stream, null);
    }

    /// <summary>
    /// Appends <paramref name="events"/>, commits, and answers with the case as it now is (ETag = new
    /// version), its sealed texts opened with <paramref name="seal"/>.
    /// </summary>
    public static async Task<TriageView> Commit(
        HttpContext http, IDocumentSession session, IEventStream<TriageCase> stream, IReadOnlyList<object> events, CaseSeal? seal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = CaseChanges.Append(session, stream, events, now);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Two first sealed writes of the case at the same time each made a key; the other one
            // committed first (its events too): the same conflict as a concurrent append, a 409.
            throw new ConcurrencyException(typeof(CaseKey), stream.Id);
        }

        after.Version = stream.CurrentVersion ?? 0;
        http.Response.Headers.ETag = $"\"{after.Version}\"";
        return TriageView.Of(after, seal, http.User, now);
    }

    private static async Task<Results<Ok<TriageView>, ProblemHttpResult>> Run(
        Guid id,
        HttpContext http,
        IDocumentSession session,
        TimeProvider clock,
        Actor actor,
        bool mustBeOpen,
        bool seals,
        Func<TriageCase, CaseSeal?, DateTimeOffset, Decision> decide,
        CancellationToken cancellationToken)
    {
        var (stream, problem) = await Load(id, http, session, actor, mustBeOpen, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        // The case's keys come from the request's services: every command shares this path, and only it needs them.
        var keys = http.RequestServices.GetRequiredService<CaseKeys>();
        var seal = await keys.ForCaseAsync(session, id, create: seals, now, cancellationToken);
        var decision = decide(stream!.Aggregate!, seal, now);
        if (decision.Problem is not null)
        {
            return decision.Problem;
        }

        return TypedResults.Ok(await Commit(http, session, stream, decision.Events, seal, now, cancellationToken));
    }
}
