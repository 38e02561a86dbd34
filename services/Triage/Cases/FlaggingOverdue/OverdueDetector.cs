using Marten;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults;
using Protection.Triage.Risk;

namespace Protection.Triage.Cases.FlaggingOverdue;

/// <summary>
/// Flags cases whose first-triage deadline passed without an assessment: appends
/// <see cref="TriageOverdueFlagged"/> to the case's stream and publishes <c>TriageOverdue</c> in the
/// same transaction. The flag lives in the stream, keyed by the deadline, so a breach is published
/// once, whatever restarts, sweeps or concurrent replicas happen; a new deadline can be breached anew.
/// </summary>
public sealed class OverdueDetector(
    IDocumentStore store,
    TimeProvider clock,
    IOptions<TriageOptions> options,
    ILogger<OverdueDetector> logger) : PeriodicJob(clock, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => options.Value.OverdueCheckInterval;

    /// <summary>One pass: flags every case newly past its deadline; returns how many it flagged.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        IReadOnlyList<Guid> due;
        await using (var query = store.QuerySession())
        {
            due = await query.Query<TriageCase>()
                .Where(c => c.Status == TriageStatus.Open && c.AwaitingTriage && c.TriageDueAt <= now
                    && !c.OverdueFlagged)
                .OrderBy(c => c.TriageDueAt)
                .Select(c => c.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        return await AppendToEachAsync<TriageCase>(store, due, (session, stream) =>
        {
            var decided = TriageDecisions.FlagOverdue(stream.Aggregate!, now);
            if (decided.Events.Count == 0)
            {
                return false;
            }

            decided.AppendTo(session, stream, now);
            return true;
        }, cancellationToken);
    }
}
