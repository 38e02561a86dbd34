using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.Disbursing;
using Protection.EmergencyAssistance.Grants.FlaggingOverdue;
using Protection.EmergencyAssistance.Grants.Reporting;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.EmergencyAssistance.Grants.Withdrawing;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
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

    private static readonly AssistanceOptions Options = new();

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
        Organisation = "org-a",
    };

    private static Fund NewFund(decimal openingBalance = 20_000m) =>
        new FundCreated(
            Guid.CreateVersion7(), "Rapid response", "EUR", openingBalance, "admin", Now.AddDays(-30), "org-a").Start();

    private static Outcome<GrantRequestFiled> Request(
        CaseRecord @case, Fund? fund, decimal amount, string currency = "EUR") =>
        RequestGrant.Decide(
            Options, @case, fund, amount, currency, GrantCategory.PhysicalSecurity, Seal("Reinforced door and cameras"),
            4, Officer, Now);

    private static GrantRequestFiled Filed(Outcome<GrantRequestFiled> outcome)
    {
        outcome.Refusal.ShouldBeNull();
        return outcome.Value.ShouldNotBeNull();
    }

    private static Grant Requested(decimal amount, Fund fund, RiskLevel? risk = RiskLevel.High) =>
        Filed(Request(Case(risk), fund, amount)).Start();

    private static Outcome<GrantChange> Approve(
        Grant grant, Fund fund, string funder, decimal? amount, DateTimeOffset now) =>
        DecideGrant.Approve(Options, grant, fund, funder, amount, now);

    private static Outcome<GrantChange> Disburse(Grant grant, decimal amount, string by, DateTimeOffset now) =>
        DisburseGrant.Decide(Options, grant, amount, by, now);

    /// <summary>The events of a change the rules accepted.</summary>
    private static GrantChange Accepted(Outcome<GrantChange> outcome)
    {
        outcome.Refusal.ShouldBeNull();
        return outcome.Value.ShouldNotBeNull();
    }

    /// <summary>Folds as Marten does: each event applies itself.</summary>
    private static Grant Fold(Grant grant, params IEnumerable<IEventOf<Grant>> events) =>
        events.Aggregate(grant, (state, e) => e.Apply(state));

    private static Fund FoldFund(Fund fund, params IEnumerable<IEventOf<Fund>> events) =>
        events.Aggregate(fund, (state, e) => e.Apply(state));

    /// <summary>Folds an accepted change into the grant and its fund.</summary>
    private static (Grant Grant, Fund Fund) Apply(Grant grant, Fund fund, Outcome<GrantChange> outcome)
    {
        var change = Accepted(outcome);
        return (Fold(grant, change.GrantEvents), FoldFund(fund, change.FundEvents));
    }

    /// <summary>Approved for the requested amount by as many funders as it needs.</summary>
    private (Grant Grant, Fund Fund) Approved(decimal amount, Fund fund)
    {
        var grant = Requested(amount, fund);
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderA, null, Now));
        if (grant.Status == GrantStatus.Pending)
        {
            (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderB, null, Now));
        }

        grant.Status.ShouldBe(GrantStatus.Approved);
        return (grant, fund);
    }

    private static void ShouldBeRefused<T>(Outcome<T> outcome, RefusalKind kind, string? field = null)
        where T : class
    {
        var refusal = outcome.Refusal.ShouldNotBeNull();
        refusal.Kind.ShouldBe(kind);
        refusal.Title.ShouldNotBeNullOrWhiteSpace();
        outcome.Value.ShouldBeNull(); // nothing to append
        if (field is not null)
        {
            refusal.Errors.ShouldNotBeNull().Keys.ShouldBe([field]);
        }
    }

    // Requesting a grant

    [Fact]
    public void A_grant_cannot_be_requested_on_a_closed_case()
    {
        ShouldBeRefused(Request(Case(closed: true), NewFund(), 1_000m), RefusalKind.Conflict);
    }

    [Fact]
    public void A_grant_from_an_unknown_fund_is_refused_on_fundId()
    {
        ShouldBeRefused(Request(Case(), null, 1_000m), RefusalKind.Invalid, "fundId");
    }

    [Fact]
    public void A_grant_in_another_currency_than_the_fund_is_refused_on_currency()
    {
        ShouldBeRefused(Request(Case(), NewFund(), 1_000m, currency: "USD"), RefusalKind.Invalid, "currency");
    }

    [Fact]
    public void A_grant_of_exactly_the_10000_cap_can_be_requested()
    {
        var fund = NewFund();
        var requested = Filed(Request(Case(), fund, 10_000m));

        requested.Amount.ShouldBe(10_000m);
        requested.FundId.ShouldBe(fund.Id);
        requested.Currency.ShouldBe("EUR");
        requested.RequestedBy.ShouldBe(Officer);
        requested.At.ShouldBe(Now);
        requested.Start().Status.ShouldBe(GrantStatus.Pending);
    }

    [Fact]
    public void A_grant_one_cent_above_the_cap_is_refused_on_amount()
    {
        ShouldBeRefused(Request(Case(), NewFund(), 10_000.01m), RefusalKind.Invalid, "amount");
    }

    [Fact]
    public void A_grant_in_fractions_of_a_cent_is_refused_on_amount()
    {
        ShouldBeRefused(Request(Case(), NewFund(), 100.001m), RefusalKind.Invalid, "amount");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(RiskLevel.Low)]
    [InlineData(RiskLevel.Medium)]
    [InlineData(RiskLevel.High)]
    public void The_decision_is_due_72_hours_after_the_request(RiskLevel? risk)
    {
        var requested = Filed(Request(Case(risk), NewFund(), 1_000m));

        requested.DecisionDueAt.ShouldBe(Now.AddHours(72));
        requested.Start().DecisionDueAt.ShouldBe(Now.AddHours(72));
    }

    [Fact]
    public void The_decision_on_a_critical_case_is_due_24_hours_after_the_request()
    {
        var requested = Filed(Request(Case(RiskLevel.Critical), NewFund(), 1_000m));

        requested.DecisionDueAt.ShouldBe(Now.AddHours(24));
        requested.Risk.ShouldBe(RiskLevel.Critical);
    }

    // Approving

    [Fact]
    public void The_requester_cannot_approve_their_own_grant()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);

        ShouldBeRefused(Approve(grant, fund, Officer, null, Now), RefusalKind.Forbidden);
    }

    [Fact]
    public void The_requester_cannot_reject_their_own_grant()
    {
        var grant = Requested(1_000m, NewFund());

        ShouldBeRefused(DecideGrant.Reject(grant, Officer, "Found another source.", Seal, Now), RefusalKind.Forbidden);
    }

    [Fact]
    public void A_grant_of_5000_is_approved_by_one_funder_and_reserved()
    {
        var fund = NewFund();
        var grant = Requested(5_000m, fund);

        var change = Accepted(Approve(grant, fund, FunderA, null, Now));

        var approved = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantAwarded>();
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

        var change = Accepted(Approve(grant, fund, FunderA, null, Now));

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
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderA, null, Now));

        ShouldBeRefused(Approve(grant, fund, FunderA, null, Now.AddMinutes(5)), RefusalKind.Conflict);
    }

    [Fact]
    public void Above_5000_a_second_funder_approves_and_reserves_the_money()
    {
        var fund = NewFund();
        var grant = Requested(5_000.01m, fund);
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderA, null, Now));

        var change = Accepted(Approve(grant, fund, FunderB, null, Now.AddMinutes(5)));

        var approved = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantAwarded>();
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
        var first = Accepted(Approve(grant, fund, FunderA, 7_000m, Now));
        first.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<ApprovalGiven>();
        first.FundEvents.ShouldBeEmpty();
        (grant, fund) = Apply(grant, fund, first);

        var second = Accepted(Approve(grant, fund, FunderB, 7_500m, Now.AddMinutes(5)));

        second.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantAwarded>();
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
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderA, 7_500m, Now));

        var second = Accepted(Approve(grant, fund, FunderB, 7_000m, Now.AddMinutes(5)));

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

        var change = Accepted(Approve(grant, fund, FunderA, 4_000m, Now));

        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantAwarded>().Approvers.ShouldBe(new[] { FunderA });
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

        ShouldBeRefused(Approve(grant, fund, FunderA, 3_000.01m, Now), RefusalKind.Invalid, "amount");
    }

    [Fact]
    public void An_approval_in_fractions_of_a_cent_is_refused_on_amount()
    {
        var fund = NewFund();
        var grant = Requested(3_000m, fund);

        ShouldBeRefused(Approve(grant, fund, FunderA, 2_999.995m, Now), RefusalKind.Invalid, "amount");
    }

    [Fact]
    public void An_approval_the_fund_cannot_cover_is_refused_without_events()
    {
        var fund = NewFund(openingBalance: 2_999.99m);
        var grant = Requested(3_000m, fund);

        ShouldBeRefused(Approve(grant, fund, FunderA, null, Now), RefusalKind.Invalid, "amount");

        var lower = Accepted(Approve(grant, fund, FunderA, 2_999.99m, Now));
        lower.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<FundsReserved>().Amount.ShouldBe(2_999.99m);
    }

    [Fact]
    public void A_second_approval_the_fund_cannot_cover_is_refused_without_events()
    {
        var fund = NewFund(openingBalance: 10_000m);
        var other = Requested(3_000m, fund);
        (_, fund) = Apply(other, fund, Approve(other, fund, FunderC, null, Now));
        fund.Available.ShouldBe(7_000m);
        var grant = Requested(8_000m, fund);
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderA, null, Now));

        ShouldBeRefused(Approve(grant, fund, FunderB, null, Now), RefusalKind.Invalid, "amount");

        Accepted(Approve(grant, fund, FunderB, 7_000m, Now)).FundEvents.ShouldHaveSingleItem()
            .ShouldBeOfType<FundsReserved>().Amount.ShouldBe(7_000m);
    }

    [Fact]
    public void An_approved_grant_cannot_be_approved_or_rejected_again()
    {
        var (grant, fund) = Approved(1_000m, NewFund());

        ShouldBeRefused(Approve(grant, fund, FunderC, null, Now), RefusalKind.Conflict);
        ShouldBeRefused(DecideGrant.Reject(grant, FunderC, "Too late.", Seal, Now), RefusalKind.Conflict);
    }

    [Fact]
    public void A_rejected_grant_cannot_be_approved()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);
        (grant, fund) = Apply(grant, fund, DecideGrant.Reject(grant, FunderA, "Covered by another donor.", Seal, Now));

        ShouldBeRefused(Approve(grant, fund, FunderB, null, Now), RefusalKind.Conflict);
    }

    // Rejecting

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_rejection_without_a_reason_is_refused_on_reason(string? reason)
    {
        var grant = Requested(1_000m, NewFund());

        ShouldBeRefused(DecideGrant.Reject(grant, FunderA, reason, Seal, Now), RefusalKind.Invalid, "reason");
    }

    [Fact]
    public void A_rejection_with_a_reason_rejects_the_grant()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);

        var change = Accepted(DecideGrant.Reject(grant, FunderA, "  Covered by another donor. ", Seal, Now));

        change.FundEvents.ShouldBeEmpty();
        var rejected = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantDeclined>();
        (rejected.GrantId, rejected.Funder, rejected.Reason)
            .ShouldBe((grant.Id, FunderA, Seal("Covered by another donor.")));
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

        ShouldBeRefused(Disburse(grant, 500m, FunderA, Now), RefusalKind.Conflict);
    }

    [Fact]
    public void A_rejected_grant_cannot_be_paid()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);
        (grant, _) = Apply(grant, fund, DecideGrant.Reject(grant, FunderA, "Out of scope.", Seal, Now));

        ShouldBeRefused(Disburse(grant, 500m, FunderA, Now), RefusalKind.Conflict);
    }

    [Fact]
    public void Above_6000_the_first_tranche_cannot_be_the_whole_grant()
    {
        var (grant, _) = Approved(6_000.01m, NewFund());

        ShouldBeRefused(Disburse(grant, 6_000.01m, FunderA, Now), RefusalKind.Invalid, "amount");
        Disburse(grant, 6_000m, FunderA, Now).Refusal.ShouldBeNull();
    }

    [Fact]
    public void A_grant_of_exactly_6000_can_be_paid_at_once()
    {
        var (grant, fund) = Approved(6_000m, NewFund());

        var change = Accepted(Disburse(grant, 6_000m, FunderA, Now));

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
        ShouldBeRefused(Disburse(grant, 3_000.01m, FunderA, Now), RefusalKind.Invalid, "amount");

        (grant, _) = Apply(grant, fund, Disburse(grant, 1_000m, FunderA, Now));

        ShouldBeRefused(Disburse(grant, 2_000.01m, FunderA, Now), RefusalKind.Invalid, "amount");
    }

    [Fact]
    public void A_tranche_above_what_is_still_reserved_is_refused_for_a_partly_approved_grant()
    {
        var fund = NewFund();
        var grant = Requested(4_000m, fund);
        (grant, _) = Apply(grant, fund, Approve(grant, fund, FunderA, 2_500m, Now));

        ShouldBeRefused(Disburse(grant, 2_500.01m, FunderA, Now), RefusalKind.Invalid, "amount");
    }

    [Fact]
    public void A_tranche_in_fractions_of_a_cent_is_refused()
    {
        var (grant, _) = Approved(3_000m, NewFund());

        ShouldBeRefused(Disburse(grant, 100.005m, FunderA, Now), RefusalKind.Invalid, "amount");
    }

    [Fact]
    public void A_partial_tranche_leaves_the_grant_partly_disbursed_with_no_report_due()
    {
        var (grant, fund) = Approved(7_000m, NewFund());

        var change = Accepted(Disburse(grant, 4_000m, FunderA, Now));

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
        (grant, fund) = Apply(grant, fund, Disburse(grant, 4_000m, FunderA, Now));
        var paidAt = Now.AddDays(10);

        var change = Accepted(Disburse(grant, 3_000m, FunderB, paidAt));

        var tranche = change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<TrancheDisbursed>();
        (tranche.Tranche, tranche.Amount, tranche.ReportDueAt)
            .ShouldBe((2, 3_000m, (DateTimeOffset?)paidAt.AddDays(90)));
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
        (grant, _) = Apply(grant, fund, Disburse(grant, 2_000m, FunderA, Now));

        ShouldBeRefused(Disburse(grant, 0.01m, FunderA, Now), RefusalKind.Conflict);
    }

    [Fact]
    public void Every_tranche_pays_reserved_money_and_the_fund_figures_add_up()
    {
        var fund = NewFund(openingBalance: 20_000m);
        fund = FoldFund(fund, new FundToppedUp(fund.Id, 1_000.50m, "admin", Now));
        var other = Requested(2_000m, fund);
        (_, fund) = Apply(other, fund, Approve(other, fund, FunderC, null, Now));
        var (grant, afterApproval) = Approved(8_000m, fund);
        fund = afterApproval;
        ShouldAddUp(
            fund, totalIn: 21_000.50m, reserved: 10_000m, disbursed: 0m, balance: 21_000.50m, available: 11_000.50m);

        var first = Accepted(Disburse(grant, 2_500.25m, FunderA, Now));
        var paid = first.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservedFundsPaid>();
        (paid.FundId, paid.GrantId, paid.Amount).ShouldBe((fund.Id, grant.Id, 2_500.25m));
        (grant, fund) = Apply(grant, fund, first);
        ShouldAddUp(
            fund, totalIn: 21_000.50m, reserved: 7_499.75m, disbursed: 2_500.25m, balance: 18_500.25m,
            available: 11_000.50m);

        var second = Accepted(Disburse(grant, 3_000m, FunderA, Now.AddDays(1)));
        second.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservedFundsPaid>().Amount.ShouldBe(3_000m);
        (grant, fund) = Apply(grant, fund, second);
        ShouldAddUp(
            fund, totalIn: 21_000.50m, reserved: 4_499.75m, disbursed: 5_500.25m, balance: 15_500.25m,
            available: 11_000.50m);

        var last = Accepted(Disburse(grant, 2_499.75m, FunderB, Now.AddDays(2)));
        last.FundEvents.ShouldHaveSingleItem().ShouldBeOfType<ReservedFundsPaid>().Amount.ShouldBe(2_499.75m);
        (grant, fund) = Apply(grant, fund, last);
        grant.Status.ShouldBe(GrantStatus.Disbursed);
        ShouldAddUp(
            fund, totalIn: 21_000.50m, reserved: 2_000m, disbursed: 8_000m, balance: 13_000.50m, available: 11_000.50m);
    }

    private static void ShouldAddUp(
        Fund fund, decimal totalIn, decimal reserved, decimal disbursed, decimal balance, decimal available)
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
        ShouldBeRefused(SubmitReport.Decide(grant, 0m, Seal("Nothing yet."), Officer, Now), RefusalKind.Conflict);

        (grant, _) = Apply(grant, fund, Disburse(grant, 4_000m, FunderA, Now));

        ShouldBeRefused(
            SubmitReport.Decide(grant, 4_000m, Seal("Door installed."), Officer, Now), RefusalKind.Conflict);
    }

    [Fact]
    public void A_report_spending_more_than_was_paid_is_refused_on_spent()
    {
        var (grant, fund) = Approved(3_000m, NewFund());
        (grant, _) = Apply(grant, fund, Disburse(grant, 3_000m, FunderA, Now));

        ShouldBeRefused(
            SubmitReport.Decide(grant, 3_000.01m, Seal("Door and cameras."), Officer, Now),
            RefusalKind.Invalid,
            "spent");
    }

    [Fact]
    public void A_report_on_a_fully_paid_grant_closes_it()
    {
        var (grant, fund) = Approved(3_000m, NewFund());
        (grant, fund) = Apply(grant, fund, Disburse(grant, 3_000m, FunderA, Now));

        var change = Accepted(
            SubmitReport.Decide(grant, 3_000m, Seal("Door and cameras installed."), Officer, Now.AddDays(30)));

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

        var change = Accepted(WithdrawGrant.Decide(grant, Seal("No longer needed."), Officer, Now));

        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantRequestWithdrawn>().Released.ShouldBe(0m);
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
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderA, 7_000m, Now));
        (grant, fund) = Apply(grant, fund, Approve(grant, fund, FunderB, null, Now));
        fund.Available.ShouldBe(availableBefore - 7_000m);

        var change = Accepted(WithdrawGrant.Decide(grant, Seal("The family relocated."), Officer, Now));

        change.GrantEvents.ShouldHaveSingleItem().ShouldBeOfType<GrantRequestWithdrawn>().Released.ShouldBe(7_000m);
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
        (grant, _) = Apply(grant, fund, Disburse(grant, 4_000m, FunderA, Now));

        ShouldBeRefused(WithdrawGrant.Decide(grant, Seal("No longer needed."), Officer, Now), RefusalKind.Conflict);
    }

    [Fact]
    public void A_rejected_grant_cannot_be_withdrawn()
    {
        var fund = NewFund();
        var grant = Requested(1_000m, fund);
        (grant, _) = Apply(grant, fund, DecideGrant.Reject(grant, FunderA, "Out of scope.", Seal, Now));

        ShouldBeRefused(WithdrawGrant.Decide(grant, Seal("No longer needed."), Officer, Now), RefusalKind.Conflict);
    }

    // Deadlines

    [Fact]
    public void A_decision_is_overdue_only_past_its_due_time()
    {
        var grant = Requested(1_000m, NewFund());

        GrantDeadlines.IsDecisionOverdue(grant, Now.AddHours(72).AddSeconds(-1)).ShouldBeFalse();
        GrantDeadlines.IsDecisionOverdue(grant, Now.AddHours(72).AddSeconds(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_decision_on_a_critical_case_is_overdue_after_24_hours()
    {
        var grant = Requested(1_000m, NewFund(), RiskLevel.Critical);

        GrantDeadlines.IsDecisionOverdue(grant, Now.AddHours(24).AddSeconds(-1)).ShouldBeFalse();
        GrantDeadlines.IsDecisionOverdue(grant, Now.AddHours(24).AddSeconds(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_flagged_decision_is_not_overdue_again()
    {
        var grant = Requested(1_000m, NewFund());

        grant = Fold(grant, new DecisionOverdueFlagged(grant.Id, grant.DecisionDueAt, Now.AddHours(72)));

        grant.DecisionOverdueFlagged.ShouldBeTrue();
        GrantDeadlines.IsDecisionOverdue(grant, Now.AddHours(100)).ShouldBeFalse();
    }

    [Fact]
    public void A_decided_grant_has_no_overdue_decision()
    {
        var (grant, _) = Approved(1_000m, NewFund());

        GrantDeadlines.IsDecisionOverdue(grant, Now.AddHours(100)).ShouldBeFalse();
    }

    [Fact]
    public void A_report_is_overdue_only_past_its_due_time()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, _) = Apply(grant, fund, Disburse(grant, 2_000m, FunderA, Now));

        GrantDeadlines.IsReportOverdue(grant, Now.AddDays(90).AddSeconds(-1)).ShouldBeFalse();
        GrantDeadlines.IsReportOverdue(grant, Now.AddDays(90).AddSeconds(1)).ShouldBeTrue();
    }

    [Fact]
    public void A_partly_paid_grant_has_no_overdue_report()
    {
        var (grant, fund) = Approved(7_000m, NewFund());
        (grant, _) = Apply(grant, fund, Disburse(grant, 4_000m, FunderA, Now));

        GrantDeadlines.IsReportOverdue(grant, Now.AddDays(200)).ShouldBeFalse();
    }

    [Fact]
    public void A_flagged_report_is_not_overdue_again()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, _) = Apply(grant, fund, Disburse(grant, 2_000m, FunderA, Now));

        grant = Fold(grant, new ReportOverdueFlagged(grant.Id, grant.ReportDueAt!.Value, Now.AddDays(90)));

        grant.ReportOverdueFlagged.ShouldBeTrue();
        GrantDeadlines.IsReportOverdue(grant, Now.AddDays(120)).ShouldBeFalse();
    }

    [Fact]
    public void A_submitted_report_is_not_overdue()
    {
        var (grant, fund) = Approved(2_000m, NewFund());
        (grant, fund) = Apply(grant, fund, Disburse(grant, 2_000m, FunderA, Now));
        (grant, _) = Apply(
            grant, fund, SubmitReport.Decide(grant, 1_950m, Seal("Cameras installed."), Officer, Now.AddDays(20)));

        GrantDeadlines.IsReportOverdue(grant, Now.AddDays(120)).ShouldBeFalse();
    }
}
