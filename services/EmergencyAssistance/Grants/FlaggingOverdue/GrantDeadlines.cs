using Marten;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.EventStore;

namespace Protection.EmergencyAssistance.Grants.FlaggingOverdue;

/// <summary>
/// Flags grants whose decision or accountability report is overdue: appends the flag to the grant's
/// stream and publishes <c>GrantDecisionOverdue</c> / <c>GrantReportOverdue</c> in the same
/// transaction, so each is published once across restarts and replicas.
/// </summary>
public sealed class GrantDeadlines(
    IDocumentStore store,
    TimeProvider clock,
    IOptions<AssistanceOptions> options,
    ILogger<GrantDeadlines> logger) : PeriodicJob(clock, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => options.Value.OverdueCheckInterval;

    public static bool IsDecisionOverdue(Grant grant, DateTimeOffset now) =>
        grant.Status == GrantStatus.Pending && grant.DecisionDueAt <= now && !grant.DecisionOverdueFlagged;

    public static bool IsReportOverdue(Grant grant, DateTimeOffset now) =>
        grant.Status == GrantStatus.Disbursed && grant.ReportDueAt <= now && !grant.ReportOverdueFlagged;

    /// <summary>The flag a grant is due at <paramref name="now"/>, if any: each deadline is flagged once.</summary>
    public static IEventOf<Grant>? Flag(Grant grant, DateTimeOffset now) =>
        IsDecisionOverdue(grant, now) ? new DecisionOverdueFlagged(grant.Id, grant.DecisionDueAt, now)
        : IsReportOverdue(grant, now) ? new ReportOverdueFlagged(grant.Id, grant.ReportDueAt!.Value, now)
        : null;

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

        return await AppendToEachAsync<Grant>(store, due, (session, stream) =>
        {
            if (Flag(stream.Aggregate!, now) is not { } flag)
            {
                return false;
            }

            StreamChanges.Append(session, stream, [flag], now);
            return true;
        }, cancellationToken);
    }
}
