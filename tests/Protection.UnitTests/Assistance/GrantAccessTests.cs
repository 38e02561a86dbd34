using System.Security.Claims;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.EventSourcing.Cases;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Decisions;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;

namespace Protection.UnitTests.Assistance;

/// <summary>
/// Grants by organisation: a fund of another organisation than the case's needs the defender's consent to
/// share with funders; who reads a grant, its case's facts and its texts; and a withdrawal of consent,
/// which withholds the case from that fund's funders and stops their decisions, but not a payment.
/// </summary>
public sealed class GrantAccessTests
{
    private const string OwnerOrg = "org-a";
    private const string FunderOrg = "org-b";
    private const string Officer = "olivia";

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly AssistanceOptions Options = new();

    private static ClaimsPrincipal User(string user, string role, string organisation) =>
        new(new ClaimsIdentity(
            [new Claim("sub", user), new Claim("role", role), new Claim("org", organisation)], "test", "sub", "role"));

    private static CaseRecord Case(bool shareWithFunders, params CasePartner[] partners) => new()
    {
        Id = Guid.CreateVersion7(),
        Reference = "PC-2026-000042",
        Country = "CO",
        ThreatTypes = [ThreatType.Physical, ThreatType.Digital],
        Risk = RiskLevel.High,
        OpenedBy = Officer,
        Organisation = OwnerOrg,
        HoldersVersion = 1,
        Partners = [.. partners],
        Consent = new ConsentScopes(shareWithFunders, false),
        ConsentVersion = 1,
    };

    private static Fund FundOf(string? organisation) =>
        new FundCreated(Guid.CreateVersion7(), "Rapid response", "EUR", 20_000m, "funder-0", Now, organisation)
            .Start();

    private static Outcome<GrantRequestFiled> Request(CaseRecord @case, Fund fund) => RequestGrant.Decide(
        Options, @case, fund, 1_000m, "EUR", GrantCategory.Legal, new SealedData("sealed purpose"), 2, Officer, Now);

    private static Grant Granted(CaseRecord @case, Fund fund)
    {
        var filed = Request(@case, fund);
        filed.Refusal.ShouldBeNull();
        return filed.Value.ShouldNotBeNull().Start();
    }

    private static EventMetadata By(string actor) =>
        new(Guid.CreateVersion7(), Now, actor, "officer", "correlation", "causation");

    private static void Withdraw(CaseRecord @case, long caseVersion) =>
        KnownCaseFacts.Apply(@case, new ConsentChanged(
            @case.Id, @case.Reference, new ConsentScopes(false, false), caseVersion, By(Officer)));

    private static GrantSight SightOf(ClaimsPrincipal user, Grant grant, CaseRecord @case) =>
        GrantAccess.SightOf(user, grant, grant.FundOrganisation, @case).Value.ShouldNotBeNull();

    private static void ShouldBeRefused<T>(Outcome<T> outcome, RefusalKind kind, string? field = null)
    {
        var refusal = outcome.Refusal.ShouldNotBeNull();
        refusal.Kind.ShouldBe(kind);
        if (field is not null)
        {
            refusal.Errors.ShouldNotBeNull().Keys.ShouldBe([field]);
        }
    }

    // Consent to share with funders, at request time

    [Fact]
    public void A_request_on_another_organisations_fund_without_consent_is_refused_on_consent_shareWithFunders()
    {
        ShouldBeRefused(
            Request(Case(shareWithFunders: false), FundOf(FunderOrg)), RefusalKind.Invalid, "consent.shareWithFunders");
    }

    [Fact]
    public void A_request_on_another_organisations_fund_with_consent_records_the_funds_organisation()
    {
        var grant = Granted(Case(shareWithFunders: true), FundOf(FunderOrg));

        grant.FundOrganisation.ShouldBe(FunderOrg);
    }

    [Fact]
    public void A_request_on_the_cases_own_organisations_fund_needs_no_consent()
    {
        Granted(Case(shareWithFunders: false), FundOf(OwnerOrg)).FundOrganisation.ShouldBe(OwnerOrg);
    }

    [Fact]
    public void A_fund_of_no_organisation_is_not_the_cases_and_needs_consent()
    {
        ShouldBeRefused(
            Request(Case(shareWithFunders: false), FundOf(null)), RefusalKind.Invalid, "consent.shareWithFunders");
    }

    // Who reads a grant

    [Fact]
    public void The_funders_of_the_funds_organisation_read_the_case_facts_and_texts_while_the_consent_holds()
    {
        var @case = Case(shareWithFunders: true);
        var grant = Granted(@case, FundOf(FunderOrg));

        SightOf(User("fiona", "funder", FunderOrg), grant, @case).ShouldBe(GrantSight.Full);
        GrantAccess.SightOf(User("felix", "funder", OwnerOrg), grant, grant.FundOrganisation, @case).Refusal
            .ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
        GrantAccess.SightOf(User("fay", "funder", "org-c"), grant, grant.FundOrganisation, @case).Refusal
            .ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void The_owners_caseworkers_read_in_full_its_other_officers_are_refused_and_other_organisations_404()
    {
        var @case = Case(shareWithFunders: true);
        var grant = Granted(@case, FundOf(FunderOrg));

        SightOf(User(Officer, "officer", OwnerOrg), grant, @case).ShouldBe(GrantSight.Full);
        SightOf(User("sam", "supervisor", OwnerOrg), grant, @case).ShouldBe(GrantSight.Full);
        GrantAccess.SightOf(User("oscar", "officer", OwnerOrg), grant, grant.FundOrganisation, @case).Refusal
            .ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        GrantAccess.SightOf(User("sue", "supervisor", FunderOrg), grant, grant.FundOrganisation, @case).Refusal
            .ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
    }

    [Fact]
    public void The_officer_who_requested_it_and_is_no_longer_responsible_reads_it_without_its_texts()
    {
        var @case = Case(shareWithFunders: true);
        var grant = Granted(@case, FundOf(OwnerOrg));
        @case.AssignedTo = "another-officer";

        SightOf(User(Officer, "officer", OwnerOrg), grant, @case).ShouldBe(GrantSight.FactsOnly);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_partner_reads_the_grant_with_its_texts_only_when_the_referral_let_it_see_personal_data(
        bool seesPersonalData)
    {
        var @case = Case(true, new CasePartner("org-p", seesPersonalData));
        var grant = Granted(@case, FundOf(OwnerOrg));

        foreach (var role in new[] { "officer", "supervisor" })
        {
            var sight = SightOf(User("pat", role, "org-p"), grant, @case);
            sight.SeesCaseFacts.ShouldBeTrue();
            sight.ReadsTexts.ShouldBe(seesPersonalData);
            GrantAccess.CaseSight(User("pat", role, "org-p"), @case).Value.ShouldBe(sight);
        }

        GrantAccess.RefusesCaseworker(User("pat", "supervisor", "org-p"), @case).ShouldNotBeNull().Kind
            .ShouldBe(RefusalKind.Forbidden); // reads, never requests
    }

    [Fact]
    public void After_a_transfer_the_new_owner_acts_and_the_former_owner_does_not_know_the_grant()
    {
        var @case = Case(shareWithFunders: true);
        var grant = Granted(@case, FundOf(OwnerOrg));

        KnownCaseFacts.Apply(@case, new CaseHoldersChanged(@case.Id, @case.Reference, "org-t", [], 4, By(Officer)));

        GrantAccess.SightOf(User(Officer, "officer", OwnerOrg), grant, grant.FundOrganisation, @case).Refusal
            .ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
        SightOf(User("tess", "supervisor", "org-t"), grant, @case).ShouldBe(GrantSight.Full);
    }

    // Consent withdrawn later

    [Fact]
    public void A_withdrawal_withholds_the_case_facts_and_texts_from_the_foreign_funds_funders_only()
    {
        var @case = Case(shareWithFunders: true);
        var foreign = Granted(@case, FundOf(FunderOrg));
        var own = Granted(@case, FundOf(OwnerOrg));

        Withdraw(@case, caseVersion: 3);

        SightOf(User("fiona", "funder", FunderOrg), foreign, @case).ShouldBe(GrantSight.Withheld);
        SightOf(User("frank", "funder", OwnerOrg), own, @case).ShouldBe(GrantSight.Full);
        SightOf(User(Officer, "officer", OwnerOrg), foreign, @case).ShouldBe(GrantSight.Full);
    }

    [Fact]
    public void A_withheld_view_keeps_the_money_and_status_and_reads_null_for_the_case_facts_and_texts()
    {
        var @case = Case(shareWithFunders: true);
        var grant = Granted(@case, FundOf(FunderOrg));

        var view = GrantView.Of(grant, null, Options, Now, GrantSight.Withheld);

        (view.Country, view.Risk, view.ThreatTypes, view.Purpose).ShouldBe((null, null, null, null));
        (view.RequestedAmount, view.Currency, view.Status, view.CaseReference, view.FundOrganisation)
            .ShouldBe((1_000m, "EUR", GrantStatus.Pending, "PC-2026-000042", FunderOrg));
        var full = GrantView.Of(grant, null, Options, Now, GrantSight.Full);
        (full.Country, full.Risk).ShouldBe(("CO", RiskLevel.High));
        full.ThreatTypes.ShouldBe([ThreatType.Physical, ThreatType.Digital]);
    }

    [Fact]
    public void An_older_consent_message_does_not_undo_a_newer_withdrawal()
    {
        var @case = Case(shareWithFunders: true);
        var grant = Granted(@case, FundOf(FunderOrg));
        Withdraw(@case, caseVersion: 5);

        KnownCaseFacts.Apply(@case, new ConsentChanged(
            @case.Id, @case.Reference, new ConsentScopes(true, true), 4, By(Officer)));

        SightOf(User("fiona", "funder", FunderOrg), grant, @case).ShouldBe(GrantSight.Withheld);
    }

    [Fact]
    public void After_a_withdrawal_a_decision_on_the_foreign_funds_pending_grant_is_refused_on_consent()
    {
        var @case = Case(shareWithFunders: true);
        var fund = FundOf(FunderOrg);
        var grant = Granted(@case, fund);
        DecideGrant.WithoutConsent(grant, fund, @case, "fiona", "title").ShouldBeNull();

        Withdraw(@case, caseVersion: 3);

        var refusal = DecideGrant.WithoutConsent(grant, fund, @case, "fiona", "title").ShouldNotBeNull();
        refusal.Kind.ShouldBe(RefusalKind.Invalid);
        refusal.Errors.ShouldNotBeNull().Keys.ShouldBe(["consent.shareWithFunders"]);
    }

    [Fact]
    public void After_a_withdrawal_an_own_organisation_fund_still_decides_and_an_approved_grant_is_still_paid()
    {
        var @case = Case(shareWithFunders: true);
        var ownFund = FundOf(OwnerOrg);
        var own = Granted(@case, ownFund);
        var foreignFund = FundOf(FunderOrg);
        var approved = Granted(@case, foreignFund);
        var change = DecideGrant.Approve(Options, approved, foreignFund, "fiona", null, Now).Value.ShouldNotBeNull();
        approved = change.GrantEvents.Aggregate(approved, (state, e) => e.Apply(state));

        Withdraw(@case, caseVersion: 3);

        DecideGrant.WithoutConsent(own, ownFund, @case, "frank", "title").ShouldBeNull();
        DecideGrant.WithoutConsent(approved, foreignFund, @case, "fiona", "title").ShouldBeNull(); // 409 decides
        Protection.EmergencyAssistance.Grants.Disbursing.DisburseGrant.Decide(Options, approved, 400m, "fiona", Now)
            .Refusal.ShouldBeNull();
    }

    // Lists

    [Fact]
    public void A_user_of_no_organisation_lists_no_grant_and_each_role_lists_by_its_own_organisation()
    {
        GrantAccess.ListedFor(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "x"), new Claim("role", "funder")], "test", "sub", "role"))).Sql.ShouldBe("false");

        var funder = GrantAccess.ListedFor(User("fiona", "funder", FunderOrg));
        funder.Sql.ShouldContain("fund_organisation");
        funder.Parameters.ShouldBe([FunderOrg, FunderOrg]);

        GrantAccess.ListedFor(User("sam", "supervisor", OwnerOrg)).Parameters.ShouldBe([OwnerOrg]);
        var officer = GrantAccess.ListedFor(User(Officer, "officer", OwnerOrg));
        officer.Sql.ShouldContain("requested_by");
        officer.Parameters.ShouldBe([Officer, OwnerOrg]);
    }
}
