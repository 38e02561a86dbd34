using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults;

namespace Protection.EmergencyAssistance.Grants;

/// <summary>
/// Flags grants whose decision or accountability report is overdue: appends the flag to the grant's
/// stream and publishes <c>GrantDecisionOverdue</c> / <c>GrantReportOverdue</c> in the same
/// transaction, so each is published once across restarts and replicas.
/// </summary>
public sealed partial class GrantDeadlines(
    IDocumentStore store,
    TimeProvider clock,
    IOptions<AssistanceOptions> options,
    ILogger<GrantDeadlines> logger) : PeriodicJob(clock, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => options.Value.OverdueCheckInterval;

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        IReadOnlyList<Guid> due;
        await using (var query = store.QuerySession())
        {
            due = await query.Query<Grant>()
                .Where(g => (g.Status == GrantStatus.Pending && g.DecisionDueAt <= now && !g.DecisionOverdueFlagged)
                    || (g.Status == GrantStatus.Disbursed && g.ReportDueAt <= now && !g.ReportOverdueFlagged))
                .Select(g => g.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var flagged = 0;
        foreach (var grantId in due)
        {
            using var _ = OperationContext.Begin(OperationContext.System("grant-deadlines"));
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Grant>(grantId, cancellationToken);
            if (stream.Aggregate is not { } grant)
            {
                continue;
            }

            object? flag = GrantRules.IsDecisionOverdue(grant, now) ? new DecisionOverdueFlagged(grantId, grant.DecisionDueAt, now)
                : GrantRules.IsReportOverdue(grant, now) ? new ReportOverdueFlagged(grantId, grant.ReportDueAt!.Value, now)
                : null;
            if (flag is null)
            {
                continue;
            }

            GrantChanges.Append(session, stream, null, GrantChange.Of(flag), now);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                flagged++;
                LogFlagged(logger, grantId, flag.GetType().Name);
            }
            catch (ConcurrencyException)
            {
                // Changed meanwhile (decided, reported, or flagged by another replica): the next pass decides again.
            }
        }

        return flagged;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grant {GrantId}: {Flag}")]
    private static partial void LogFlagged(ILogger logger, Guid grantId, string flag);
}
