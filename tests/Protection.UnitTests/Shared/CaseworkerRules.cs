using System.Security.Claims;
using Protection.Contracts.Cases;
using Protection.ServiceDefaults.Auth;

namespace Protection.UnitTests.Shared;

/// <summary>
/// Who may act on a case, and how a user stands towards it by organisation: the rules intake, triage,
/// emergency assistance and relocation share.
/// </summary>
public sealed class CaseworkerRules
{
    private const string ResponsibleOfficer = "olivia";
    private const string A = "org-a";
    private const string B = "org-b";

    private static ClaimsPrincipal User(string id, string role, string? organisation = A, params string[] audits) =>
        new(new ClaimsIdentity(
            [
                new Claim(AuthenticationSetup.UserIdClaim, id),
                new Claim(AuthenticationSetup.RoleClaim, role),
                .. organisation is null ? [] : new[] { new Claim(AuthenticationSetup.OrganisationClaim, organisation) },
                .. audits.Select(a => new Claim(OrganisationRule.AuditsClaim, a)),
            ],
            "test",
            AuthenticationSetup.UserIdClaim,
            AuthenticationSetup.RoleClaim));

    [Fact]
    public void A_supervisor_acts_on_any_case_of_their_organisation() =>
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor), A, ResponsibleOfficer).ShouldBeTrue();

    [Fact]
    public void A_supervisor_of_another_organisation_does_not() =>
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor, B), A, ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void The_responsible_officer_acts_on_the_case() =>
        CaseworkerRule.IsCaseworker(User(ResponsibleOfficer, Roles.Officer), A, ResponsibleOfficer).ShouldBeTrue();

    [Fact]
    public void The_responsible_officer_no_longer_acts_once_the_case_moved_to_another_organisation() =>
        CaseworkerRule.IsCaseworker(User(ResponsibleOfficer, Roles.Officer), B, ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void Another_officer_does_not() =>
        CaseworkerRule.IsCaseworker(User("oscar", Roles.Officer), A, ResponsibleOfficer).ShouldBeFalse();

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Funder)]
    [InlineData(Roles.Admin)]
    public void Auditors_funders_and_administrators_do_not(string role) =>
        CaseworkerRule.IsCaseworker(User("ada", role), A, ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void The_responsible_officers_id_without_the_officer_role_is_not_enough() =>
        CaseworkerRule.IsCaseworker(User(ResponsibleOfficer, Roles.Auditor), A, ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void A_case_whose_responsible_officer_is_not_known_is_for_supervisors_only()
    {
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor), A, null).ShouldBeTrue();
        CaseworkerRule.IsCaseworker(User("oscar", Roles.Officer), A, null).ShouldBeFalse();
    }

    [Fact]
    public void A_case_of_no_organisation_is_no_ones() =>
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor), null, ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void A_user_without_an_organisation_acts_on_nothing() =>
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor, null), A, ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void Officers_and_supervisors_of_the_owner_stand_as_owner_and_of_a_partner_as_partner()
    {
        CasePartner[] partners = [new(B, SeesPersonalData: false)];
        OrganisationRule.StandingOf(User("oscar", Roles.Officer), A, partners).ShouldBe(CaseStanding.Owner);
        OrganisationRule.StandingOf(User("bea", Roles.Officer, B), A, partners).ShouldBe(CaseStanding.Partner);
        OrganisationRule.StandingOf(User("bob", Roles.Supervisor, B), A, partners).ShouldBe(CaseStanding.Partner);
        OrganisationRule.StandingOf(User("bea", Roles.Officer, B), A, []).ShouldBe(CaseStanding.None);
    }

    [Fact]
    public void An_auditor_stands_as_auditor_only_for_the_organisations_their_body_audits()
    {
        OrganisationRule.StandingOf(User("aud", Roles.Auditor, "audit-body", A), A, []).ShouldBe(CaseStanding.Auditor);
        OrganisationRule.StandingOf(User("aud", Roles.Auditor, "audit-body", B), A, []).ShouldBe(CaseStanding.None);
        OrganisationRule.StandingOf(User("aud", Roles.Auditor, A), A, []).ShouldBe(CaseStanding.None);
    }

    [Fact]
    public void The_audits_claim_counts_only_for_auditors() =>
        OrganisationRule.StandingOf(User("fay", Roles.Funder, "fund-org", A), A, []).ShouldBe(CaseStanding.None);
}
