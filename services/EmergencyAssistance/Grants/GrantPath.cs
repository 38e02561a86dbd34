using System.Collections.Concurrent;
using System.Security.Claims;
using Marten;
using Microsoft.Extensions.Options;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.ServiceDefaults;
using Protection.EventSourcing;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants;

/// <summary>Events to append to a grant's stream and, when money moves, to its fund's stream.</summary>
public sealed record GrantChange(IReadOnlyList<IEventOf<Grant>> GrantEvents, IReadOnlyList<IEventOf<Fund>> FundEvents)
{
    public static GrantChange Of(IEventOf<Grant> grantEvent, IEventOf<Fund>? fundEvent = null) =>
        new([grantEvent], fundEvent is null ? [] : [fundEvent]);
}

/// <summary>A grant decision on the grant, its fund and its case as loaded: the change, or why not.</summary>
/// <param name="case">What this service knows of the grant's case (its holders and the consent in force).</param>
/// <param name="seal">The case's key, when the command seals text or the case has one; null otherwise.</param>
public delegate Outcome<GrantChange> GrantDecision(
    Grant grant, Fund fund, CaseRecord? @case, CaseSeal? seal, DateTimeOffset now);

/// <summary>
/// <see cref="CommandPath"/> for a command on a grant: the grant is the stream the path loads, checks
/// and appends to; its fund is loaded for writing beside it and takes the money events, both at the
/// versions read, in one transaction. Decisions on one fund take turns in this process (no reservation
/// races); across processes the fund's expected version refuses the loser, which decides again on the
/// new figures. A fund therefore never goes below zero.
/// </summary>
public sealed class GrantPath(
    IDocumentStore store, CaseKeys keys, IOptions<AssistanceOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Per fund, what was available after the last decision that moved its money in this process: a hint
    /// that tells a waiting approval when to read the fund again (never what decides; a top-up or another
    /// replica makes it stale, and the turn then decides on the stored figures).
    /// </summary>
    private readonly ConcurrentDictionary<Guid, decimal> _availableAfterLastDecision = new();

    public AssistanceOptions Options { get; } = options.Value;

    /// <summary>
    /// Decides on the grant <paramref name="id"/> in its fund's turn and answers the grant as it then is.
    /// When <paramref name="seals"/>, <paramref name="decide"/> gets the case's key to seal its free text
    /// with (made if the case has none: an erased case gets a new one); otherwise the key, if any, only
    /// opens the answer.
    /// </summary>
    /// <param name="authorize">Whether <paramref name="user"/> may act on the grant at all.</param>
    /// <param name="refusesWithoutTurn">
    /// The same rule, for a command whose refusal needs no turn (an approval): decided on the committed
    /// grant and fund before waiting, and again whenever a decision in this process left the fund with
    /// less than this one would reserve. A refusal so read is the answer at that moment; only a change that
    /// appends waits for its turn. A burst of approvals on one fund is then answered as fast as the fund
    /// runs out, not one by one behind every approval queued before it.
    /// </param>
    public async Task<Outcome<GrantView>> RunAsync(
        Guid id,
        ClaimsPrincipal user,
        long? ifMatch,
        bool seals,
        Func<IDocumentSession, Grant, Task<Refusal?>> authorize,
        GrantDecision decide,
        CancellationToken cancellationToken,
        GrantDecision? refusesWithoutTurn = null)
    {
        Guid fundId, caseId;
        await using (var query = store.QuerySession())
        {
            // The fund's turn is taken before the grant is loaded for writing: its id comes first.
            if (await query.LoadAsync<Grant>(id, cancellationToken) is not { } known)
            {
                return Refusal.NotFound("The grant");
            }

            (fundId, caseId) = (known.FundId, known.CaseId);
        }

        decimal? availableAfter = null;
        async Task<Answer> Turn()
        {
            var outcome = await CommandPath.RunAsync<Grant, GrantView>(
                store,
                id,
                ifMatch,
                "The grant",
                authorize,
                async (session, grant) =>
                {
                    var fund = await session.Events.FetchForWriting<Fund>(fundId, cancellationToken);
                    var @case = await session.LoadAsync<CaseRecord>(caseId, cancellationToken);
                    var now = clock.GetUtcNow();
                    var seal = await keys.ForCaseAsync(session, caseId, create: seals, now, cancellationToken);
                    var decided = decide(grant.Aggregate!, fund.Aggregate!, @case, seal, now);
                    if (decided.Refusal is { } refused)
                    {
                        return refused;
                    }

                    var change = decided.Value!;
                    var after = StreamChanges.Append(session, grant, change.GrantEvents, now);
                    after.Version = grant.CurrentVersion ?? 0;
                    availableAfter = change.FundEvents.Count > 0
                        ? StreamChanges.Append(session, fund, change.FundEvents, now).Available
                        : null;
                    var fundOrganisation = fund.Aggregate!.Organisation;
                    var sight = GrantAccess.SightOf(user, after, after.FundOrganisation ?? fundOrganisation, @case);
                    return GrantView.Of(
                        after, seal, Options, now, sight.Value ?? GrantSight.Withheld, fundOrganisation);
                },
                cancellationToken);
            if (!outcome.IsRefused && availableAfter is { } available)
            {
                _availableAfterLastDecision[fundId] = available;
            }

            return new Answer(outcome);
        }

        decimal? reserving = null;
        async Task<Answer?> RefusedWithoutTurn()
        {
            if (reserving is { } amount && (amount == 0
                || !(_availableAfterLastDecision.TryGetValue(fundId, out var available) && available < amount)))
            {
                return null; // nothing decided since that could change the last reading's answer
            }

            await using var query = store.LightweightSession();
            var grant = await query.LoadAsync<Grant>(id, cancellationToken);
            var fund = await query.LoadAsync<Fund>(fundId, cancellationToken);
            if (grant is null || fund is null)
            {
                return null;
            }

            // Who may not act on the grant learns nothing of it from this early answer either.
            if (await authorize(query, grant) is { } refusedActor)
            {
                return new Answer(refusedActor);
            }

            var @case = await query.LoadAsync<CaseRecord>(caseId, cancellationToken);
            var decided = refusesWithoutTurn!(grant, fund, @case, null, clock.GetUtcNow());
            reserving = decided.Value?.FundEvents.OfType<FundsReserved>().Sum(r => r.Amount) ?? 0;
            return decided.Refusal is { } refused ? new Answer(refused) : null;
        }

        var answer = refusesWithoutTurn is null || ifMatch is not null
            ? await StripedLocks.Funds.RunAsync(fundId, Turn, cancellationToken)
            : await StripedLocks.Funds.RunAsync(fundId, Turn, RefusedWithoutTurn, cancellationToken);
        return answer.Outcome;
    }

    /// <summary>The fund's turn hands over a class; an outcome is a struct.</summary>
    private sealed record Answer(Outcome<GrantView> Outcome);
}
