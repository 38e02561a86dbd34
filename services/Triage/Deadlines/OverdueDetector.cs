using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults;
using Protection.Triage.Cases;
using Protection.Triage.Risk;

namespace Protection.Triage.Deadlines;

/// <summary>
/// Flags cases whose first-triage deadline passed without an assessment: appends
/// <see cref="TriageOverdueFlagged"/> to the case's stream and publishes <c>TriageOverdue</c> in the
/// same transaction. The flag lives in the stream, keyed by the deadline, so a breach is published
/// once, whatever restarts, sweeps or concurrent replicas happen; a new deadline can be breached anew.
/// </summary>
public sealed partial class OverdueDetector(
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
                .Where(c => c.Status == TriageStatus.Open && c.AwaitingTriage && c.TriageDueAt <= now && !c.OverdueFlagged)
                .OrderBy(c => c.TriageDueAt)
                .Select(c => c.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var flagged = 0;
        foreach (var caseId in due)
        {
            using var _ = OperationContext.Begin(OperationContext.System("overdue-detector"));
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<TriageCase>(caseId, cancellationToken);
            if (stream.Aggregate is not { } @case || !TriageDecisions.IsNewlyOverdue(@case, now))
            {
                continue;
            }

            CaseChanges.Append(session, stream, [new TriageOverdueFlagged(caseId, @case.TriageDueAt!.Value, now)], now);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                flagged++;
                LogFlagged(logger, caseId, @case.Risk.Level.ToString(), @case.TriageDueAt.Value);
            }
            catch (ConcurrencyException)
            {
                // Someone changed the case meanwhile (an assessment, another replica's flag): the next pass decides again.
            }
        }

        return flagged;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId} ({Risk}) is overdue for triage: its deadline was {DueAt:O}")]
    private static partial void LogFlagged(ILogger logger, Guid caseId, string risk, DateTimeOffset dueAt);
}
