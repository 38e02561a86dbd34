using Marten;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.EventStore;

namespace Protection.Relocations.Relocations.Watching;

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
    IOptions<RelocationOptions> options,
    ILogger<RelocationWatch> logger) : PeriodicJob(clock, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => options.Value.WatchInterval;

    /// <summary>
    /// The flags a relocation is due at <paramref name="now"/>; none when nothing is overdue or all are raised.
    /// </summary>
    public static IReadOnlyList<object> Decide(RelocationOptions options, Relocation relocation, DateTimeOffset now)
    {
        var flags = new List<object>();
        if (IsCheckInMissed(options, relocation, now))
        {
            flags.Add(new CheckInMissedFlagged(relocation.Id, relocation.NextCheckInDueAt!.Value, now));
        }

        if (IsStayEnding(options, relocation, now))
        {
            flags.Add(new StayEndingFlagged(relocation.Id, relocation.Plan!.EndOn, now));
        }

        return flags;
    }

    /// <summary>Away, the check-in due is past its grace period, and this deadline was not flagged yet.</summary>
    public static bool IsCheckInMissed(RelocationOptions options, Relocation relocation, DateTimeOffset now) =>
        relocation.Away
        && relocation.NextCheckInDueAt is { } due
        && due + options.CheckInGrace <= now
        && relocation.MissedCheckInFlaggedFor != due;

    /// <summary>Away, the stay ends within the notice period, and this end date was not flagged yet.</summary>
    public static bool IsStayEnding(RelocationOptions options, Relocation relocation, DateTimeOffset now) =>
        EndsWithinNotice(options, relocation, now) && relocation.StayEndingFlaggedFor != relocation.Plan!.EndOn;

    /// <summary>Away, and the stay ends within the notice period (flagged or not).</summary>
    public static bool EndsWithinNotice(RelocationOptions options, Relocation relocation, DateTimeOffset now) =>
        relocation.Away
        && relocation.Plan is { } plan
        && Relocation.EndOf(plan.EndOn) - options.StayEndingNotice <= now;

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var rules = options.Value;
        var missedBefore = now - rules.CheckInGrace;
        var endingBefore = now + rules.StayEndingNotice;
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
            var flags = Decide(rules, stream.Aggregate!, now);
            if (flags.Count == 0)
            {
                return false;
            }

            StreamChanges.Append(session, stream, flags, now);
            return true;
        }, cancellationToken);
    }
}
