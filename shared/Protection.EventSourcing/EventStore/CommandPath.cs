using JasperFx;
using JasperFx.Events;
using Marten;
using Protection.ServiceDefaults.Decisions;

namespace Protection.EventSourcing.EventStore;

/// <summary>
/// The one way every service changes a stream: load it for writing at the version the caller read
/// (<c>If-Match</c>, Marten's expected version), check who acts, decide, append, commit. Marten
/// appends at the version it loaded, so a writer that commits in between makes this commit fail
/// instead of overwriting.
/// </summary>
/// <remarks>
/// Without <c>If-Match</c> such a collision (a deadline job flagging the case, a consumer funding a plan) is
/// not the caller's conflict: the command is decided again on the state that won, up to
/// <see cref="Attempts"/> times. With it, the caller's version no longer holds: a 409 with the
/// current version. A document inserted at the same time by another writer (a case key two first
/// sealed writes both made) is the same collision.
/// </remarks>
public static class CommandPath
{
    public const int Attempts = 3;

    /// <summary>
    /// Runs <paramref name="decide"/> on the stream <paramref name="id"/> and commits what it appended.
    /// </summary>
    /// <param name="what">How a refusal names the stream's subject when it does not exist: "The case".</param>
    /// <param name="authorize">Whether this actor may act on it at all; checked before the version.</param>
    /// <param name="decide">Decides on the loaded state and appends to the stream; a refusal commits nothing.</param>
    public static Task<Outcome<TAnswer>> RunAsync<TState, TAnswer>(
        IDocumentStore store,
        Guid id,
        long? ifMatch,
        string what,
        Func<IDocumentSession, TState, Task<Refusal?>> authorize,
        Func<IDocumentSession, IEventStream<TState>, Task<Outcome<TAnswer>>> decide,
        CancellationToken cancellationToken)
        where TState : class =>
        InSessionAsync(store, ifMatch, async session =>
        {
            IEventStream<TState> stream;
            try
            {
                // With If-Match, Marten checks the caller's version as it loads, and again as it commits.
                stream = ifMatch is { } expected
                    ? await session.Events.FetchForWriting<TState>(id, expected, cancellationToken)
                    : await session.Events.FetchForWriting<TState>(id, cancellationToken);
            }
            catch (ConcurrencyException) when (ifMatch is not null)
            {
                return await RefusedAtVersionAsync(store, id, what, authorize, cancellationToken);
            }

            if (stream.Aggregate is not { } state)
            {
                return Refusal.NotFound(what);
            }

            if (await authorize(session, state) is { } forbidden)
            {
                return forbidden;
            }

            return await decide(session, stream);
        }, () => CurrentVersionAsync(store, id, cancellationToken), cancellationToken);

    /// <summary>
    /// The caller's version no longer holds (or the stream does not exist). Whether they may learn the
    /// current version is still decided first: an unknown stream is a 404 and another officer's case a
    /// 403, as without <c>If-Match</c>.
    /// </summary>
    private static async Task<Refusal> RefusedAtVersionAsync<TState>(
        IDocumentStore store,
        Guid id,
        string what,
        Func<IDocumentSession, TState, Task<Refusal?>> authorize,
        CancellationToken cancellationToken)
        where TState : class
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<TState>(id, cancellationToken);
        if (stream.Aggregate is not { } state)
        {
            return Refusal.NotFound(what);
        }

        return await authorize(session, state) ?? Refusal.Stale(stream.CurrentVersion ?? 0);
    }

    /// <summary>
    /// The same retry and commit for a command that starts a stream or writes documents only: runs
    /// <paramref name="attempt"/> in a fresh session and saves it unless it refused.
    /// </summary>
    public static Task<Outcome<TAnswer>> InSessionAsync<TAnswer>(
        IDocumentStore store,
        Func<IDocumentSession, Task<Outcome<TAnswer>>> attempt,
        CancellationToken cancellationToken) =>
        InSessionAsync(store, ifMatch: null, attempt, () => Task.FromResult(0L), cancellationToken);

    private static async Task<Outcome<TAnswer>> InSessionAsync<TAnswer>(
        IDocumentStore store,
        long? ifMatch,
        Func<IDocumentSession, Task<Outcome<TAnswer>>> attempt,
        Func<Task<long>> currentVersion,
        CancellationToken cancellationToken)
    {
        for (var i = 1; ; i++)
        {
            await using var session = store.LightweightSession();
            try
            {
                // Reads and writes in one transaction on one connection: the reads before a write (the
                // stream, documents, the chain's head) are not each an autocommit transaction of their own.
                await session.BeginTransactionAsync(cancellationToken);
                var outcome = await attempt(session);
                if (!outcome.IsRefused)
                {
                    await session.SaveChangesAsync(cancellationToken);
                }

                return outcome;
            }
            catch (Exception e) when (e is ConcurrencyException or DocumentAlreadyExistsException)
            {
                if (ifMatch is not null)
                {
                    return Refusal.Stale(await currentVersion());
                }

                if (i >= Attempts)
                {
                    // the global handler answers a ConcurrencyException with 409
                    throw e as ConcurrencyException ?? new ConcurrencyException(typeof(TAnswer), e.Message);
                }
            }
        }
    }

    private static async Task<long> CurrentVersionAsync(
        IDocumentStore store, Guid id, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        return (await query.Events.FetchStreamStateAsync(id, cancellationToken))?.Version ?? 0;
    }
}
