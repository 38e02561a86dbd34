using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;

namespace Protection.UnitTests;

/// <summary>The grant rules with their defaults: cap, deadlines, four eyes, partial approval, reservation, tranches, reports, withdrawal.</summary>
public sealed class GrantRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly GrantRules _rules = new(Microsoft.Extensions.Options.Options.Create(new AssistanceOptions()));
    private readonly CaseRecord _case = new() { Id = Guid.CreateVersion7(), Reference = "PC-2026-000001", Country = "CO", OpenedBy = "officer-1" };

    private static Fund NewFund(decimal balance) =>
        Fund.Create(new FundCreated(Guid.CreateVersion7(), "Rapid response", "EUR", balance, "funder-0", Now));

    private (Grant Grant, Fund Fund) Requested(decimal amount, decimal fundBalance = 20_000m)
    {
        var fund = NewFund(fundBalance);
        var change = _rules.Request(_case, fund, fund.Id, amount, "EUR", GrantCategory.Legal, "Lawyer for the hearing", 1, "officer-1", Now);
        change.Problem.ShouldBeNull();
        return (Grant.Create((GrantRequested)change.GrantEvents[0]), fund);
    }

    private static (Grant Grant, Fund Fund) Apply(Grant grant, Fund fund, GrantChange change)
    {
        change.Problem.ShouldBeNull();
        return (change.GrantEvents.Aggregate(grant, GrantChanges.Fold), change.FundEvents.Aggregate(fund, GrantChanges.FoldFund));
    }

    private static void ShouldRefuse(GrantChange change, int status, string? field = null)
    {
        change.Problem.ShouldNotBeNull();
        change.Problem.StatusCode.ShouldBe(status);
        change.GrantEvents.ShouldBeEmpty();
        change.FundEvents.ShouldBeEmpty();
        if (field is not null)
        {
            ((HttpValidationProblemDetails)change.Problem.ProblemDetails).Errors.ShouldContainKey(field);
        }
    }

    [Theory]
    [InlineData(10_000.01, "amount")]
    [InlineData(100.001, "amount")]
    public void Requests_over_the_cap_or_below_cents_are_refused(decimal amount, string field)
    {
        var fund = NewFund(50_000m);
        ShouldRefuse(_rules.Request(_case, fund, fund.Id, amount, "EUR", GrantCategory.Legal, "p", 1, "officer-1", Now), 422, field);
        _rules.Request(_case, fund, fund.Id, 10_000m, "EUR", GrantCategory.Legal, "p", 1, "officer-1", Now).Problem.ShouldBeNull();
    }

    [Fact]
    public void Unknown_fund_other_currency_and_closed_case_are_refused()
    {
        var fund = NewFund(50_000m);
        ShouldRefuse(_rules.Request(_case, null, Guid.NewGuid(), 100m, "EUR", GrantCategory.Legal, "p", 1, "officer-1", Now), 422, "fundId");
        ShouldRefuse(_rules.Request(_case, fund, fund.Id, 100m, "USD", GrantCategory.Legal, "p", 1, "officer-1", Now), 422, "currency");
        _case.Closed = true;
        ShouldRefuse(_rules.Request(_case, fund, fund.Id, 100m, "EUR", GrantCategory.Legal, "p", 1, "officer-1", Now), 409);
    }

    [Theory]
    [InlineData(null, 72)]
    [InlineData(RiskLevel.High, 72)]
    [InlineData(RiskLevel.Critical, 24)]
    public void The_decision_is_due_in_72_hours_or_24_when_the_case_is_critical(RiskLevel? risk, int hours)
    {
        _case.Risk = risk;
        Requested(1_000m).Grant.DecisionDueAt.ShouldBe(Now.AddHours(hours));
    }

    [Fact]
    public void Nobody_decides_on_a_grant_they_requested()
    {
        var (grant, fund) = Requested(1_000m);
        ShouldRefuse(_rules.Approve(grant, fund, "officer-1", null, Now), 403);
        ShouldRefuse(_rules.Reject(grant, "officer-1", "no", Now), 403);
    }

    [Fact]
    public void Up_to_5000_one_approval_reserves_the_money()
    {
        var (grant, fund) = Requested(5_000m);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-a", null, Now));
        grant.Status.ShouldBe(GrantStatus.Approved);
        fund.Reserved.ShouldBe(5_000m);
        fund.Available.ShouldBe(15_000m);
    }

    [Fact]
    public void Above_5000_two_different_funders_approve_and_the_lowest_amount_is_granted()
    {
        var (grant, fund) = Requested(8_000m);
        var first = _rules.Approve(grant, fund, "funder-a", 7_000m, Now);
        first.FundEvents.ShouldBeEmpty();
        (grant, fund) = Apply(grant, fund, first);
        grant.Status.ShouldBe(GrantStatus.Pending);
        ShouldRefuse(_rules.Approve(grant, fund, "funder-a", null, Now), 409);

        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-b", 7_500m, Now));
        grant.Status.ShouldBe(GrantStatus.Approved);
        grant.ApprovedAmount.ShouldBe(7_000m);
        fund.Reserved.ShouldBe(7_000m);
    }

    [Fact]
    public void A_first_approval_of_5000_or_less_on_a_larger_request_is_enough()
    {
        var (grant, fund) = Requested(7_000m);
        (grant, _) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-a", 4_000m, Now));
        grant.Status.ShouldBe(GrantStatus.Approved);
        grant.ApprovedAmount.ShouldBe(4_000m);
    }

    [Fact]
    public void An_approval_the_fund_cannot_cover_or_above_the_request_is_refused()
    {
        var (grant, fund) = Requested(3_000m, fundBalance: 2_999.99m);
        ShouldRefuse(_rules.Approve(grant, fund, "funder-a", null, Now), 422, "amount");
        ShouldRefuse(_rules.Approve(grant, fund, "funder-a", 3_000.01m, Now), 422, "amount");
        _rules.Approve(grant, fund, "funder-a", 2_999.99m, Now).Problem.ShouldBeNull();
    }

    [Fact]
    public void A_rejection_needs_a_reason_and_a_decided_grant_is_not_decided_again()
    {
        var (grant, fund) = Requested(1_000m);
        ShouldRefuse(_rules.Reject(grant, "funder-a", " ", Now), 422, "reason");
        (grant, fund) = Apply(grant, fund, _rules.Reject(grant, "funder-a", "Covered elsewhere.", Now));
        grant.Status.ShouldBe(GrantStatus.Rejected);
        ShouldRefuse(_rules.Approve(grant, fund, "funder-b", null, Now), 409);
    }

    [Fact]
    public void Above_6000_the_grant_is_paid_in_tranches_and_the_report_falls_due_90_days_after_the_last()
    {
        var (grant, fund) = Requested(7_000m);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-a", null, Now));
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-b", null, Now));
        ShouldRefuse(_rules.Disburse(grant, 7_000m, "funder-a", Now), 422, "amount");

        (grant, fund) = Apply(grant, fund, _rules.Disburse(grant, 4_000m, "funder-a", Now));
        grant.Status.ShouldBe(GrantStatus.PartlyDisbursed);
        grant.ReportDueAt.ShouldBeNull();
        ShouldRefuse(_rules.Disburse(grant, 3_000.01m, "funder-a", Now), 422, "amount");
        ShouldRefuse(_rules.SubmitReport(grant, 1m, "Bought the equipment.", "officer-1", Now), 409);

        (grant, fund) = Apply(grant, fund, _rules.Disburse(grant, 3_000m, "funder-a", Now.AddDays(2)));
        grant.Status.ShouldBe(GrantStatus.Disbursed);
        grant.ReportDueAt.ShouldBe(Now.AddDays(92));
        (fund.Balance, fund.Reserved, fund.Disbursed, fund.Available).ShouldBe((13_000m, 0m, 7_000m, 13_000m));

        ShouldRefuse(_rules.SubmitReport(grant, 7_000.01m, "Bought the equipment.", "officer-1", Now), 422, "spent");
        (grant, _) = Apply(grant, fund, _rules.SubmitReport(grant, 6_900m, "Bought the equipment.", "officer-1", Now));
        grant.Status.ShouldBe(GrantStatus.Reported);
        grant.IsOpen.ShouldBeFalse();
    }

    [Fact]
    public void A_grant_of_6000_may_be_paid_at_once()
    {
        var (grant, fund) = Requested(6_000m);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-a", null, Now));
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-b", null, Now));
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 6_000m, "funder-a", Now));
        grant.Status.ShouldBe(GrantStatus.Disbursed);
    }

    [Fact]
    public void Withdrawal_releases_the_reservation_but_not_after_a_payment()
    {
        var (grant, fund) = Requested(2_000m);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-a", null, Now));
        fund.Available.ShouldBe(18_000m);
        var (withdrawn, released) = Apply(grant, fund, _rules.Withdraw(grant, "Not needed.", "officer-1", Now));
        withdrawn.Status.ShouldBe(GrantStatus.Withdrawn);
        released.Available.ShouldBe(20_000m);

        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 500m, "funder-a", Now));
        ShouldRefuse(_rules.Withdraw(grant, "Not needed.", "officer-1", Now), 409);
    }

    [Fact]
    public void Overdue_decisions_and_reports_are_flagged_once()
    {
        var (grant, fund) = Requested(1_000m);
        GrantRules.IsDecisionOverdue(grant, Now.AddHours(71)).ShouldBeFalse();
        GrantRules.IsDecisionOverdue(grant, Now.AddHours(72)).ShouldBeTrue();
        GrantRules.IsDecisionOverdue(grant.Apply(new DecisionOverdueFlagged(grant.Id, grant.DecisionDueAt, Now.AddHours(72))), Now.AddHours(73)).ShouldBeFalse();

        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, "funder-a", null, Now));
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 1_000m, "funder-a", Now));
        GrantRules.IsReportOverdue(grant, Now.AddDays(89)).ShouldBeFalse();
        GrantRules.IsReportOverdue(grant, Now.AddDays(90)).ShouldBeTrue();
        GrantRules.IsReportOverdue(grant.Apply(new ReportOverdueFlagged(grant.Id, grant.ReportDueAt!.Value, Now.AddDays(90))), Now.AddDays(91)).ShouldBeFalse();
    }
}
