using Microsoft.AspNetCore.Http;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.ServiceDefaults.PersonalData;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;

namespace Protection.UnitTests.Assistance;

/// <summary>
/// The emergency-assistance grant rules with their defaults: cap 10,000, two approvals above 5,000,
/// tranches above 6,000, decision due in 72 h (24 h for a critical case), report due 90 days after the last tranche.
/// </summary>
public sealed class GrantRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private const string Officer = "officer-olivia";
    private const string FunderA = "funder-amara";
    private const string FunderB = "funder-bruno";
    private const string FunderC = "funder-chen";

    private readonly GrantRules _rules = new(Microsoft.Extensions.Options.Options.Create(new AssistanceOptions()));

    /// <summary>Stands in for the case's key: the rules only carry what they are given, sealed.</summary>
    private static SealedData Seal(string text) => new($"sealed:{text}");

    private static CaseRecord Case(RiskLevel? risk = RiskLevel.High, bool closed = false) => new()
    {
        Id = Guid.CreateVersion7(),
        Reference = "PC-2026-000001",
        Country = "CO",
        ThreatTypes = [ThreatType.Physical],
        Risk = risk,
        Closed = closed,
        OpenedBy = Officer,
    };

    private static Fund NewFund(decimal openingBalance = 20_000m) =>
        Fund.Create(new FundCreated(Guid.CreateVersion7(), "Rapid response", "EUR", openingBalance, "admin", Now.AddDays(-30)));

    private GrantChange Request(CaseRecord @case, Fund? fund, decimal amount, string currency = "EUR") =>
        _rules.Request(@case, fund, fund?.Id ?? Guid.CreateVersion7(), amount, currency, GrantCategory.PhysicalSecurity, Seal("Reinforced door and cameras"), 4, Officer, Now);

    private Grant Requested(decimal amount, Fund fund, RiskLevel? risk = RiskLevel.High)
    {
        var change = Request(Case(risk), fund, amount);
        change.Problem.ShouldBeNull();
        return Grant.Create(change.GrantEvents[0].ShouldBeOfType<GrantRequested>());
    }

    private static Grant Fold(Grant grant, params IEnumerable<object> events) => events.Aggregate(grant, GrantChanges.Fold);

    private static Fund FoldFund(Fund fund, params IEnumerable<object> events) => events.Aggregate(fund, GrantChanges.FoldFund);

    /// <summary>Folds an accepted change into the grant and its fund.</summary>
    private static (Grant Grant, Fund Fund) Apply(Grant grant, Fund fund, GrantChange change)
    {
        change.Problem.ShouldBeNull();
        return (Fold(grant, change.GrantEvents), FoldFund(fund, change.FundEvents));
    }

    /// <summary>Approved for the requested amount by as many funders as it needs.</summary>
    private (Grant Grant, Fund Fund) Approved(decimal amount, Fund fund)
    {
        var grant = Requested(amount, fund);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, null, Now));
        if (grant.Status == GrantStatus.Pending)
        {
            (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderB, null, Now));
        }

        grant.Status.ShouldBe(GrantStatus.Approved);
        return (grant, fund);
    }

    private static void ShouldBeRefused(GrantChange change, int status, string? field = null)
    {
        var problem = change.Problem.ShouldNotBeNull();
        problem.StatusCode.ShouldBe(status);
        change.GrantEvents.ShouldBeEmpty();
        change.FundEvents.ShouldBeEmpty();
        if (field is not null)
        {
            ((HttpValidationProblemDetails)problem.ProblemDetails).Errors.ShouldContainKey(field);
        }
    }

    // Requesting a grant

    [Fact]
    public void A_grant_cannot_be_requested_on_a_closed_case()
    {
        ShouldBeRefused(Request(Case(closed: true), NewFund(), 1_000m), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void A_grant_from_an_unknown_fund_is_refused_on_fundId()
    {
        ShouldBeRefused(Request(Case(), null, 1_000m), StatusCodes.Status422UnprocessableEntity, "fundId");
    }

    [Fact]
    public void A_grant_in_another_currency_than_the_fund_is_refused_on_currency()
    {
        ShouldBeRefused(Request(Case(), NewFund(), 1_000m, currency: "USD"), StatusCodes.Status422UnprocessableEntity, "currency");
    }

    [Fact]
    public void A_grant_of_exactly_the_10000_cap_can_be_requested()
    {
        var fund = NewFund();
        var change = Request(Case(), fund, 10_000m);

        change.Problem.ShouldBeNull();
        change.FundEvents.ShouldBeEmpty();
        var requested = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantRequested>();
        requested.Amount.ShouldBe(10_000m);
        requested.FundId.ShouldBe(fund.Id);
        requested.Currency.ShouldBe("EUR");
        requested.RequestedBy.ShouldBe(Officer);
        requested.At.ShouldBe(Now);
        Grant.Create(requested).Status.ShouldBe(GrantStatus.Pending);
    }

    [Fact]
    public void A_grant_one_cent_above_the_cap_is_refused_on_amount()
    {
        ShouldBeRefused(Request(Case(), NewFund(), 10_000.01m), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Fact]
    public void A_grant_in_fractions_of_a_cent_is_refused_on_amount()
    {
        ShouldBeRefused(Request(Case(), NewFund(), 100.001m), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(RiskLevel.Low)]
    [InlineData(RiskLevel.Medium)]
    [InlineData(RiskLevel.High)]
    public void The_decision_is_due_72_hours_after_the_request(RiskLevel? risk)
    {
        var requested = Request(Case(risk), NewFund(), 1_000m).GrantEvents[0].ShouldBeOfType<GrantRequested>();

        requested.DecisionDueAt.ShouldBe(Now.AddHours(72));
        Grant.Create(requested).DecisionDueAt.ShouldBe(Now.AddHours(72));
    }

    [Fact]
    public void The_decision_on_a_critical_case_is_due_24_hours_after_the_request()
    {
        var requested = Request(Case(RiskLevel.Critical), NewFund(), 1_000m).GrantEvents[0].ShouldBeOfType<GrantRequested>();

        requested.DecisionDueAt.ShouldBe(Now.AddHours(24));
        requested.Risk.ShouldBe(RiskLevel.Critical);
    }

    // Approving

    [Fact]
    public void The_requester_cannot_approve_their_own_grant()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);

        ShouldBeRefused(_rules.Approve(grant, fund, Officer, null, Now), StatusCodes.Status403Forbidden);
    }

    [Fact]
    public void The_requester_cannot_reject_their_own_grant()
    {
        var grant = Requested(1_000m, NewFund());

        ShouldBeRefused(_rules.Reject(grant, Officer, "Found another source.", Seal, Now), StatusCodes.Status403Forbidden);
    }

    [Fact]
    public void A_grant_of_5000_is_approved_by_one_funder_and_reserved()
    {
        var fund = NewFund();
        var grant = Requested(5_000m, fund);

        var change = _rules.Approve(grant, fund, FunderA, null, Now);

        change.Problem.ShouldBeNull();
        var approved = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantApproved>();
        approved.Amount.ShouldBe(5_000m);
        approved.Approvers.ShouldBe(new[] { FunderA });
        var reserved = change.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>();
        (reserved.FundId, reserved.GrantId, reserved.Amount).ShouldBe((fund.Id, grant.Id, 5_000m));

        (grant, fund) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Approved);
        grant.ApprovedAmount.ShouldBe(5_000m);
        fund.Reserved.ShouldBe(5_000m);
        fund.Available.ShouldBe(15_000m);
    }

    [Fact]
    public void Above_5000_the_first_approval_only_records_it_and_reserves_nothing()
    {
        var fund = NewFund();
        var grant = Requested(5_000.01m, fund);

        var change = _rules.Approve(grant, fund, FunderA, null, Now);

        change.Problem.ShouldBeNull();
        var given = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<ApprovalGiven>();
        (given.Funder, given.Amount).ShouldBe((FunderA, 5_000.01m));
        change.FundEvents.ShouldBeEmpty();

        (grant, fund) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Pending);
        grant.ApprovedAmount.ShouldBeNull();
        grant.Approvals.ShouldHaveSingleItem().Funder.ShouldBe(FunderA);
        fund.Available.ShouldBe(20_000m);
    }

    [Fact]
    public void Above_5000_the_same_funder_cannot_give_the_second_approval()
    {
        var fund = NewFund();
        var grant = Requested(5_000.01m, fund);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, null, Now));

        ShouldBeRefused(_rules.Approve(grant, fund, FunderA, null, Now.AddMinutes(5)), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void Above_5000_a_second_funder_approves_and_reserves_the_money()
    {
        var fund = NewFund();
        var grant = Requested(5_000.01m, fund);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, null, Now));

        var change = _rules.Approve(grant, fund, FunderB, null, Now.AddMinutes(5));

        change.Problem.ShouldBeNull();
        var approved = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantApproved>();
        approved.Funder.ShouldBe(FunderB);
        approved.Approvers.ShouldBe(new[] { FunderA, FunderB });
        change.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(5_000.01m);

        (grant, fund) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Approved);
        grant.ApprovedAmount.ShouldBe(5_000.01m);
        fund.Reserved.ShouldBe(5_000.01m);
        fund.Available.ShouldBe(14_999.99m);
    }

    [Fact]
    public void Partial_approvals_grant_and_reserve_the_lowest_amount_approved()
    {
        var fund = NewFund();
        var grant = Requested(8_000m, fund);
        var first = _rules.Approve(grant, fund, FunderA, 7_000m, Now);
        first.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<ApprovalGiven>();
        first.FundEvents.ShouldBeEmpty();
        (grant, fund) = Apply(grant, fund, first);

        var second = _rules.Approve(grant, fund, FunderB, 7_500m, Now.AddMinutes(5));

        second.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantApproved>();
        second.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(7_000m);
        (grant, fund) = Apply(grant, fund, second);
        grant.Status.ShouldBe(GrantStatus.Approved);
        grant.ApprovedAmount.ShouldBe(7_000m);
        grant.StillReserved.ShouldBe(7_000m);
        fund.Reserved.ShouldBe(7_000m);
        fund.Available.ShouldBe(13_000m);
    }

    [Fact]
    public void Partial_approvals_grant_the_lowest_amount_also_when_the_second_funder_gives_it()
    {
        var fund = NewFund();
        var grant = Requested(8_000m, fund);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, 7_500m, Now));

        var second = _rules.Approve(grant, fund, FunderB, 7_000m, Now.AddMinutes(5));

        second.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(7_000m);
        (grant, fund) = Apply(grant, fund, second);
        grant.ApprovedAmount.ShouldBe(7_000m);
        fund.Reserved.ShouldBe(7_000m);
    }

    [Fact]
    public void A_first_approval_of_4000_on_a_7000_request_is_enough()
    {
        var fund = NewFund();
        var grant = Requested(7_000m, fund);

        var change = _rules.Approve(grant, fund, FunderA, 4_000m, Now);

        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantApproved>().Approvers.ShouldBe(new[] { FunderA });
        change.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(4_000m);
        (grant, fund) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Approved);
        grant.ApprovedAmount.ShouldBe(4_000m);
        fund.Available.ShouldBe(16_000m);
    }

    [Fact]
    public void An_approval_above_the_requested_amount_is_refused_on_amount()
    {
        var fund = NewFund();
        var grant = Requested(3_000m, fund);

        ShouldBeRefused(_rules.Approve(grant, fund, FunderA, 3_000.01m, Now), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Fact]
    public void An_approval_in_fractions_of_a_cent_is_refused_on_amount()
    {
        var fund = NewFund();
        var grant = Requested(3_000m, fund);

        ShouldBeRefused(_rules.Approve(grant, fund, FunderA, 2_999.995m, Now), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Fact]
    public void An_approval_the_fund_cannot_cover_is_refused_without_events()
    {
        var fund = NewFund(openingBalance: 2_999.99m);
        var grant = Requested(3_000m, fund);

        ShouldBeRefused(_rules.Approve(grant, fund, FunderA, null, Now), StatusCodes.Status422UnprocessableEntity, "amount");

        var lower = _rules.Approve(grant, fund, FunderA, 2_999.99m, Now);
        lower.Problem.ShouldBeNull();
        lower.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(2_999.99m);
    }

    [Fact]
    public void A_second_approval_the_fund_cannot_cover_is_refused_without_events()
    {
        var fund = NewFund(openingBalance: 10_000m);
        var other = Requested(3_000m, fund);
        (_, fund) = Apply(other, fund, _rules.Approve(other, fund, FunderC, null, Now));
        fund.Available.ShouldBe(7_000m);
        var grant = Requested(8_000m, fund);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, null, Now));

        ShouldBeRefused(_rules.Approve(grant, fund, FunderB, null, Now), StatusCodes.Status422UnprocessableEntity, "amount");

        _rules.Approve(grant, fund, FunderB, 7_000m, Now).FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(7_000m);
    }

    [Fact]
    public void An_approved_grant_cannot_be_approved_or_rejected_again()
    {
        var (grant, fund) = Approved(1_000m, NewFund());

        ShouldBeRefused(_rules.Approve(grant, fund, FunderC, null, Now), StatusCodes.Status409Conflict);
        ShouldBeRefused(_rules.Reject(grant, FunderC, "Too late.", Seal, Now), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void A_rejected_grant_cannot_be_approved()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);
        (grant, fund) = Apply(grant, fund, _rules.Reject(grant, FunderA, "Covered by another donor.", Seal, Now));

        ShouldBeRefused(_rules.Approve(grant, fund, FunderB, null, Now), StatusCodes.Status409Conflict);
    }

    // Rejecting

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_rejection_without_a_reason_is_refused_on_reason(string? reason)
    {
        var grant = Requested(1_000m, NewFund());

        ShouldBeRefused(_rules.Reject(grant, FunderA, reason, Seal, Now), StatusCodes.Status422UnprocessableEntity, "reason");
    }

    [Fact]
    public void A_rejection_with_a_reason_rejects_the_grant()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);

        var change = _rules.Reject(grant, FunderA, "  Covered by another donor. ", Seal, Now);

        change.Problem.ShouldBeNull();
        change.FundEvents.ShouldBeEmpty();
        var rejected = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantRejected>();
        (rejected.GrantId, rejected.Funder, rejected.Reason).ShouldBe((grant.Id, FunderA, Seal("Covered by another donor.")));
        (grant, _) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Rejected);
        grant.Rejection.ShouldNotBeNull().Funder.ShouldBe(FunderA);
        grant.IsOpen.ShouldBeFalse();
    }

    // Paying out

    [Fact]
    public void A_grant_not_yet_approved_cannot_be_paid()
    {
        var grant = Requested(1_000m, NewFund());

        ShouldBeRefused(_rules.Disburse(grant, 500m, FunderA, Now), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void A_rejected_grant_cannot_be_paid()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);
        (grant, _) = Apply(grant, fund, _rules.Reject(grant, FunderA, "Out of scope.", Seal, Now));

        ShouldBeRefused(_rules.Disburse(grant, 500m, FunderA, Now), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void Above_6000_the_first_tranche_cannot_be_the_whole_grant()
    {
        var (grant, _) = Approved(6_000.01m, NewFund());

        ShouldBeRefused(_rules.Disburse(grant, 6_000.01m, FunderA, Now), StatusCodes.Status422UnprocessableEntity, "amount");
        _rules.Disburse(grant, 6_000m, FunderA, Now).Problem.ShouldBeNull();
    }

    [Fact]
    public void A_grant_of_exactly_6000_can_be_paid_at_once()
    {
        var (grant, fund) = Approved(6_000m, NewFund());

        var change = _rules.Disburse(grant, 6_000m, FunderA, Now);

        change.Problem.ShouldBeNull();
        var tranche = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<TrancheDisbursed>();
        (tranche.Tranche, tranche.Amount, tranche.ReportDueAt).ShouldBe((1, 6_000m, (DateTimeOffset?)Now.AddDays(90)));
        (grant, fund) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Disbursed);
        fund.Disbursed.ShouldBe(6_000m);
        fund.Reserved.ShouldBe(0m);
    }

    [Fact]
    public void A_tranche_above_what_is_still_reserved_is_refused()
    {
        var (grant, fund) = Approved(3_000m, NewFund());
        ShouldBeRefused(_rules.Disburse(grant, 3_000.01m, FunderA, Now), StatusCodes.Status422UnprocessableEntity, "amount");

        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 1_000m, FunderA, Now));

        ShouldBeRefused(_rules.Disburse(grant, 2_000.01m, FunderA, Now), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Fact]
    public void A_tranche_above_what_is_still_reserved_is_refused_for_a_partly_approved_grant()
    {
        var fund = NewFund();
        var grant = Requested(4_000m, fund);
        (grant, _) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, 2_500m, Now));

        ShouldBeRefused(_rules.Disburse(grant, 2_500.01m, FunderA, Now), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Fact]
    public void A_tranche_in_fractions_of_a_cent_is_refused()
    {
        var (grant, _) = Approved(3_000m, NewFund());

        ShouldBeRefused(_rules.Disburse(grant, 100.005m, FunderA, Now), StatusCodes.Status422UnprocessableEntity, "amount");
    }

    [Fact]
    public void A_partial_tranche_leaves_the_grant_partly_disbursed_with_no_report_due()
    {
        var (grant, fund) = Approved(7_000m, NewFund());

        var change = _rules.Disburse(grant, 4_000m, FunderA, Now);

        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<TrancheDisbursed>().ReportDueAt.ShouldBeNull();
        (grant, _) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.PartlyDisbursed);
        grant.ReportDueAt.ShouldBeNull();
        grant.Disbursed.ShouldBe(4_000m);
        grant.StillReserved.ShouldBe(3_000m);
    }

    [Fact]
    public void The_tranche_that_completes_the_grant_makes_the_report_due_90_days_later()
    {
        var (grant, fund) = Approved(7_000m, NewFund());
        (grant, fund) = Apply(grant, fund, _rules.Disburse(grant, 4_000m, FunderA, Now));
        var paidAt = Now.AddDays(10);

        var change = _rules.Disburse(grant, 3_000m, FunderB, paidAt);

        var tranche = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<TrancheDisbursed>();
        (tranche.Tranche, tranche.Amount, tranche.ReportDueAt).ShouldBe((2, 3_000m, (DateTimeOffset?)paidAt.AddDays(90)));
        (grant, _) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Disbursed);
        grant.ReportDueAt.ShouldBe(paidAt.AddDays(90));
        grant.Disbursed.ShouldBe(7_000m);
        grant.StillReserved.ShouldBe(0m);
    }

    [Fact]
    public void A_fully_paid_grant_cannot_be_paid_again()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 2_000m, FunderA, Now));

        ShouldBeRefused(_rules.Disburse(grant, 0.01m, FunderA, Now), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void Every_tranche_pays_reserved_money_and_the_fund_figures_add_up()
    {
        var fund = NewFund(openingBalance: 20_000m);
        fund = FoldFund(fund, new FundToppedUp(fund.Id, 1_000.50m, "admin", Now));
        var other = Requested(2_000m, fund);
        (_, fund) = Apply(other, fund, _rules.Approve(other, fund, FunderC, null, Now));
        var (grant, afterApproval) = Approved(8_000m, fund);
        fund = afterApproval;
        ShouldAddUp(fund, totalIn: 21_000.50m, reserved: 10_000m, disbursed: 0m, balance: 21_000.50m, available: 11_000.50m);

        var first = _rules.Disburse(grant, 2_500.25m, FunderA, Now);
        var paid = first.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservedFundsPaid>();
        (paid.FundId, paid.GrantId, paid.Amount).ShouldBe((fund.Id, grant.Id, 2_500.25m));
        (grant, fund) = Apply(grant, fund, first);
        ShouldAddUp(fund, totalIn: 21_000.50m, reserved: 7_499.75m, disbursed: 2_500.25m, balance: 18_500.25m, available: 11_000.50m);

        var second = _rules.Disburse(grant, 3_000m, FunderA, Now.AddDays(1));
        second.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservedFundsPaid>().Amount.ShouldBe(3_000m);
        (grant, fund) = Apply(grant, fund, second);
        ShouldAddUp(fund, totalIn: 21_000.50m, reserved: 4_499.75m, disbursed: 5_500.25m, balance: 15_500.25m, available: 11_000.50m);

        var last = _rules.Disburse(grant, 2_499.75m, FunderB, Now.AddDays(2));
        last.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservedFundsPaid>().Amount.ShouldBe(2_499.75m);
        (grant, fund) = Apply(grant, fund, last);
        grant.Status.ShouldBe(GrantStatus.Disbursed);
        ShouldAddUp(fund, totalIn: 21_000.50m, reserved: 2_000m, disbursed: 8_000m, balance: 13_000.50m, available: 11_000.50m);
    }

    private static void ShouldAddUp(Fund fund, decimal totalIn, decimal reserved, decimal disbursed, decimal balance, decimal available)
    {
        (fund.TotalIn, fund.Reserved, fund.Disbursed).ShouldBe((totalIn, reserved, disbursed));
        fund.Balance.ShouldBe(balance);
        fund.Balance.ShouldBe(fund.TotalIn - fund.Disbursed);
        fund.Available.ShouldBe(available);
        fund.Available.ShouldBe(fund.TotalIn - fund.Disbursed - fund.Reserved);
    }

    // Accounting for the money

    [Fact]
    public void A_report_before_the_grant_is_fully_paid_is_a_conflict()
    {
        var (grant, fund) = Approved(7_000m, NewFund());
        ShouldBeRefused(_rules.SubmitReport(grant, 0m, Seal("Nothing yet."), Officer, Now), StatusCodes.Status409Conflict);

        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 4_000m, FunderA, Now));

        ShouldBeRefused(_rules.SubmitReport(grant, 4_000m, Seal("Door installed."), Officer, Now), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void A_report_spending_more_than_was_paid_is_refused_on_spent()
    {
        var (grant, fund) = Approved(3_000m, NewFund());
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 3_000m, FunderA, Now));

        ShouldBeRefused(_rules.SubmitReport(grant, 3_000.01m, Seal("Door and cameras."), Officer, Now), StatusCodes.Status422UnprocessableEntity, "spent");
    }

    [Fact]
    public void A_report_on_a_fully_paid_grant_closes_it()
    {
        var (grant, fund) = Approved(3_000m, NewFund());
        (grant, fund) = Apply(grant, fund, _rules.Disburse(grant, 3_000m, FunderA, Now));

        var change = _rules.SubmitReport(grant, 3_000m, Seal("Door and cameras installed."), Officer, Now.AddDays(30));

        change.Problem.ShouldBeNull();
        change.FundEvents.ShouldBeEmpty();
        var report = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<ReportSubmitted>();
        (report.Spent, report.By).ShouldBe((3_000m, Officer));
        (grant, _) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Reported);
        grant.Report.ShouldNotBeNull().Spent.ShouldBe(3_000m);
        grant.IsOpen.ShouldBeFalse();
    }

    // Withdrawing

    [Fact]
    public void Withdrawing_a_pending_grant_releases_nothing()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);

        var change = _rules.Withdraw(grant, Seal("No longer needed."), Officer, Now);

        change.Problem.ShouldBeNull();
        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantWithdrawn>().Released.ShouldBe(0m);
        change.FundEvents.ShouldBeEmpty();
        (grant, _) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Withdrawn);
        grant.IsOpen.ShouldBeFalse();
    }

    [Fact]
    public void Withdrawing_an_approved_grant_releases_its_reservation()
    {
        var fund = NewFund();
        var availableBefore = fund.Available;
        var grant = Requested(8_000m, fund);
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderA, 7_000m, Now));
        (grant, fund) = Apply(grant, fund, _rules.Approve(grant, fund, FunderB, null, Now));
        fund.Available.ShouldBe(availableBefore - 7_000m);

        var change = _rules.Withdraw(grant, Seal("The family relocated."), Officer, Now);

        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantWithdrawn>().Released.ShouldBe(7_000m);
        var released = change.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservationReleased>();
        (released.FundId, released.GrantId, released.Amount).ShouldBe((fund.Id, grant.Id, 7_000m));
        (grant, fund) = Apply(grant, fund, change);
        grant.Status.ShouldBe(GrantStatus.Withdrawn);
        grant.StillReserved.ShouldBe(0m);
        fund.Reserved.ShouldBe(0m);
        fund.Available.ShouldBe(availableBefore);
    }

    [Fact]
    public void A_partly_paid_grant_cannot_be_withdrawn()
    {
        var (grant, fund) = Approved(7_000m, NewFund());
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 4_000m, FunderA, Now));

        ShouldBeRefused(_rules.Withdraw(grant, Seal("No longer needed."), Officer, Now), StatusCodes.Status409Conflict);
    }

    [Fact]
    public void A_rejected_grant_cannot_be_withdrawn()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);
        (grant, _) = Apply(grant, fund, _rules.Reject(grant, FunderA, "Out of scope.", Seal, Now));

        ShouldBeRefused(_rules.Withdraw(grant, Seal("No longer needed."), Officer, Now), StatusCodes.Status409Conflict);
    }

    // Deadlines

    [Fact]
    public void A_decision_is_overdue_only_past_its_due_time()
    {
        var grant = Requested(1_000m, NewFund());

        GrantRules.IsDecisionOverdue(grant, Now.AddHours(72).AddSeconds(-1)).ShouldBeFalse();
        GrantRules.IsDecisionOverdue(grant, Now.AddHours(72).AddSeconds(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_decision_on_a_critical_case_is_overdue_after_24_hours()
    {
        var grant = Requested(1_000m, NewFund(), RiskLevel.Critical);

        GrantRules.IsDecisionOverdue(grant, Now.AddHours(24).AddSeconds(-1)).ShouldBeFalse();
        GrantRules.IsDecisionOverdue(grant, Now.AddHours(24).AddSeconds(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_flagged_decision_is_not_overdue_again()
    {
        var grant = Requested(1_000m, NewFund());

        grant = Fold(grant, new DecisionOverdueFlagged(grant.Id, grant.DecisionDueAt, Now.AddHours(72)));

        grant.DecisionOverdueFlagged.ShouldBeTrue();
        GrantRules.IsDecisionOverdue(grant, Now.AddHours(100)).ShouldBeFalse();
    }

    [Fact]
    public void A_decided_grant_has_no_overdue_decision()
    {
        var (grant, _) = Approved(1_000m, NewFund());

        GrantRules.IsDecisionOverdue(grant, Now.AddHours(100)).ShouldBeFalse();
    }

    [Fact]
    public void A_report_is_overdue_only_past_its_due_time()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 2_000m, FunderA, Now));

        GrantRules.IsReportOverdue(grant, Now.AddDays(90).AddSeconds(-1)).ShouldBeFalse();
        GrantRules.IsReportOverdue(grant, Now.AddDays(90).AddSeconds(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_partly_paid_grant_has_no_overdue_report()
    {
        var (grant, fund) = Approved(7_000m, NewFund());
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 4_000m, FunderA, Now));

        GrantRules.IsReportOverdue(grant, Now.AddDays(200)).ShouldBeFalse();
    }

    [Fact]
    public void A_flagged_report_is_not_overdue_again()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, _) = Apply(grant, fund, _rules.Disburse(grant, 2_000m, FunderA, Now));

        grant = Fold(grant, new ReportOverdueFlagged(grant.Id, grant.ReportDueAt!.Value, Now.AddDays(90)));

        grant.ReportOverdueFlagged.ShouldBeTrue();
        GrantRules.IsReportOverdue(grant, Now.AddDays(120)).ShouldBeFalse();
    }

    [Fact]
    public void A_submitted_report_is_not_overdue()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, fund) = Apply(grant, fund, _rules.Disburse(grant, 2_000m, FunderA, Now));
        (grant, _) = Apply(grant, fund, _rules.SubmitReport(grant, 1_950m, Seal("Cameras installed."), Officer, Now.AddDays(20)));

        GrantRules.IsReportOverdue(grant, Now.AddDays(120)).ShouldBeFalse();
    }
}
