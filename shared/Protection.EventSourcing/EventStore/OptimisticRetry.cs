using JasperFx;
using Marten;

namespace Protection.EventSourcing.EventStore;

/// <summary>
/// Runs a command in a fresh session. When the caller pinned no version (no <c>If-Match</c>), a
/// concurrent append by someone else (often a consumer recording news from another service) is not
/// the caller's conflict: the command is decided again on the new state, up to three times. With a
/// pinned version the conflict is the caller's, and surfaces as 409.
/// </summary>
public static class OptimisticRetry
{
    public const int Attempts = 3;

    public static async Task<T> RunAsync<T>(
        IDocumentStore store, bool callerPinnedVersion, Func<IDocumentSession, Task<T>> attempt)
    {
        for (var i = 1; ; i++)
        {
            await using var session = store.LightweightSession();
            try
            {
                return await attempt(session);
            }
            catch (ConcurrencyException) when (!callerPinnedVersion && i < Attempts)
            {
                // decided again on the state that won
            }
        }
    }
}
