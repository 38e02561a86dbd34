using Marten;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations;

/// <summary>
/// A decision on a relocation as it stands, with the case's key to seal what it records and the time.
/// </summary>
public delegate Outcome<IReadOnlyList<object>> RelocationDecision(
    Relocation relocation, CaseSeal seal, DateTimeOffset now);

/// <summary>
/// What every step of a relocation (plan, depart, check in… close) shares around the one command path:
/// the case's turn, who may act, the case's key, and the case record freed when the relocation closes.
/// </summary>
public static class RelocationStep
{
    /// <summary>
    /// Decides <paramref name="decide"/> on the relocation <paramref name="id"/> and commits it at the version
    /// read (<c>If-Match</c>, or the loaded one). Without <c>If-Match</c> a collision with a consumer (funding)
    /// is decided again on the new state; with it, it is the caller's 409.
    /// </summary>
    public static async Task<Outcome<RelocationView>> TakeAsync(
        Guid id,
        HttpContext http,
        IDocumentStore store,
        CaseKeys keys,
        RelocationOptions options,
        TimeProvider clock,
        RelocationDecision decide,
        CancellationToken cancellationToken)
    {
        Guid caseId;
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<Relocation>(id, cancellationToken) is not { } known)
            {
                return Refusal.NotFound("The relocation");
            }

            caseId = known.CaseId;
        }

        // The case record holds "the relocation in progress": writers of it take turns.
        CaseRecord? @case = null;
        return await StripedLocks.Cases.RunAsync(caseId, () => CommandPath.RunAsync<Relocation, RelocationView>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The relocation",
            async (session, _) =>
            {
                @case = await session.LoadAsync<CaseRecord>(caseId, cancellationToken);
                return RelocationAccess.ToRelocation(http.User, @case);
            },
            async (session, stream) =>
            {
                var now = clock.GetUtcNow();
                if (await keys.ForCaseAsync(session, caseId, create: false, now, cancellationToken) is not { } seal)
                {
                    return Refusal.Conflict(
                        "The personal data of this case was erased; its relocation can no longer change.");
                }

                var decided = decide(stream.Aggregate!, seal, now);
                if (decided.Refusal is { } refused)
                {
                    return refused;
                }

                var after = StreamChanges.Append(session, stream, decided.Value!, now) with
                {
                    Version = stream.CurrentVersion ?? 0,
                };
                if (!after.Active && @case!.ActiveRelocationId == id)
                {
                    // Closing frees the case for another relocation, in the same transaction.
                    @case.ActiveRelocationId = null;
                    session.Store(@case);
                }

                return RelocationView.Of(after, @case, seal, options, now);
            },
            cancellationToken), cancellationToken);
    }
}
