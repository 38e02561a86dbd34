using JasperFx.Events;
using Marten;
using Protection.Contracts;
using Protection.EmergencyAssistance.Funds;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Messaging;
using Published = Protection.Contracts.Assistance;

namespace Protection.EmergencyAssistance.Grants;

/// <summary>
/// Appends a grant's events (and its fund's, when money moves) in one transaction, at the versions
/// read, and queues the integration events they imply in the same transaction (the outbox).
/// </summary>
public static class GrantChanges
{
    public static Grant Start(IDocumentSession session, GrantRequestFiled requested, DateTimeOffset now)
    {
        session.Events.StartStream<Grant>(requested.GrantId, requested);
        var grant = Grant.Create(requested);
        Publish(session, grant, [requested], now);
        return grant;
    }

    public static Grant Append(
        IDocumentSession session,
        IEventStream<Grant> grant,
        IEventStream<Fund>? fund,
        GrantChange change,
        DateTimeOffset now)
    {
        grant.AppendMany(change.GrantEvents);
        if (change.FundEvents.Count > 0)
        {
            var funds = fund ?? throw new InvalidOperationException("Money moves need the fund's stream.");
            funds.AppendMany(change.FundEvents);
        }

        var after = change.GrantEvents.Aggregate(grant.Aggregate!, Fold);
        after.Version = grant.CurrentVersion ?? 0;
        Publish(session, after, change.GrantEvents, now);
        return after;
    }

    public static Grant Fold(Grant grant, object e) => e switch
    {
        ApprovalGiven x => grant.Apply(x),
        GrantAwarded x => grant.Apply(x),
        GrantDeclined x => grant.Apply(x),
        GrantRequestWithdrawn x => grant.Apply(x),
        TrancheDisbursed x => grant.Apply(x),
        ReportSubmitted x => grant.Apply(x),
        DecisionOverdueFlagged x => grant.Apply(x),
        ReportOverdueFlagged x => grant.Apply(x),
        _ => throw new ArgumentException($"A grant has no event {e.GetType().Name}.", nameof(e)),
    };

    public static Fund FoldFund(Fund fund, object e) => e switch
    {
        FundToppedUp x => fund.Apply(x),
        FundsReserved x => fund.Apply(x),
        ReservationReleased x => fund.Apply(x),
        ReservedFundsPaid x => fund.Apply(x),
        _ => throw new ArgumentException($"A fund has no event {e.GetType().Name}.", nameof(e)),
    };

    private static void Publish(IDocumentSession session, Grant g, IReadOnlyList<object> events, DateTimeOffset now)
    {
        EventMetadata Meta() => OperationContext.Current!.ToEventMetadata(now);
        foreach (var e in events)
        {
            IIntegrationEvent? message = e switch
            {
                GrantRequestFiled x => new Published.GrantRequested(
                    g.CaseId, g.CaseReference, g.Id, g.FundId, x.Amount, g.Currency, g.Category, g.PeopleCovered,
                    g.DecisionDueAt, Meta()),
                GrantAwarded => new Published.GrantApproved(
                    g.CaseId, g.CaseReference, g.Id, g.FundId, g.ApprovedAmount!.Value, g.Currency, g.Category,
                    g.Approvals.Select(a => a.Funder).ToArray(), Meta()),
                GrantDeclined => new Published.GrantRejected(g.CaseId, g.CaseReference, g.Id, Meta()),
                GrantRequestWithdrawn => new Published.GrantWithdrawn(g.CaseId, g.CaseReference, g.Id, Meta()),
                TrancheDisbursed x => new Published.GrantDisbursed(
                    g.CaseId, g.CaseReference, g.Id, g.FundId, g.Category, x.Tranche, x.Amount, g.Currency,
                    g.Disbursed, x.ReportDueAt is not null, Meta()),
                ReportSubmitted => new Published.GrantReportSubmitted(g.CaseId, g.CaseReference, g.Id, Meta()),
                DecisionOverdueFlagged x =>
                    new Published.GrantDecisionOverdue(g.CaseId, g.CaseReference, g.Id, x.DueAt, Meta()),
                ReportOverdueFlagged x =>
                    new Published.GrantReportOverdue(g.CaseId, g.CaseReference, g.Id, x.DueAt, Meta()),
                _ => null,
            };

            if (message is not null)
            {
                session.PublishAfterCommit(message);
            }
        }
    }
}
