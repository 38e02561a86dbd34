using Marten;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults;

using Protection.EventSourcing;
namespace Protection.Relocations.Relocations;

/// <summary>
/// Watches relocations that are away: a check-in past its grace period appends
/// <see cref="CheckInMissedFlagged"/> and publishes <c>CheckInMissed</c> (triage escalates the case);
/// an end date within the notice period appends <see cref="StayEndingFlagged"/> and publishes
/// <c>StayEnding</c>. Flag and message commit together, so each is raised once per deadline,
/// across restarts and replicas.
/// </summary>
public sealed class RelocationWatch(
    IDocumentStore store,
    TimeProvider clock,
    RelocationRules rules,
    IOptions<RelocationOptions> options,
    ILogger<RelocationWatch> logger) : PeriodicJob(clock, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => options.Value.WatchInterval;

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var missedBefore = now - rules.Options.CheckInGrace;
        var endingBefore = now + rules.Options.StayEndingNotice;
        IReadOnlyList<Guid> due;
        await using (var query = store.QuerySession())
        {
            // The flags are compared in memory: the query only narrows to relocations away with a deadline passed.
            due = await query.Query<Relocation>()
                .Where(r => r.Away && (r.NextCheckInDueAt <= missedBefore || r.StayEndsAt <= endingBefore))
                .Select(r => r.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        return await AppendToEachAsync<Relocation>(store, due, (session, stream) =>
        {
            var relocation = stream.Aggregate!;
            var flags = new List<object>();
            if (rules.IsCheckInMissed(relocation, now))
            {
                flags.Add(new CheckInMissedFlagged(relocation.Id, relocation.NextCheckInDueAt!.Value, now));
            }

            if (rules.IsStayEnding(relocation, now))
            {
                flags.Add(new StayEndingFlagged(relocation.Id, relocation.Plan!.EndOn, now));
            }

            if (flags.Count == 0)
            {
                return false;
            }

            RelocationChanges.Append(session, stream, flags, now);
            return true;
        }, cancellationToken);
    }
}
