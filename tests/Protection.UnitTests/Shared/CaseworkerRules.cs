using System.Security.Claims;
using Protection.ServiceDefaults.Auth;

namespace Protection.UnitTests.Shared;

/// <summary>Who may act on a case: the one rule intake, triage, emergency assistance and relocation share.</summary>
public sealed class CaseworkerRules
{
    private const string ResponsibleOfficer = "olivia";

    private static ClaimsPrincipal User(string id, string role) => new(new ClaimsIdentity(
        [new Claim(AuthenticationSetup.UserIdClaim, id), new Claim(AuthenticationSetup.RoleClaim, role)],
        "test", AuthenticationSetup.UserIdClaim, AuthenticationSetup.RoleClaim));

    [Fact]
    public void A_supervisor_acts_on_any_case() =>
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor), ResponsibleOfficer).ShouldBeTrue();

    [Fact]
    public void The_responsible_officer_acts_on_the_case() =>
        CaseworkerRule.IsCaseworker(User(ResponsibleOfficer, Roles.Officer), ResponsibleOfficer).ShouldBeTrue();

    [Fact]
    public void Another_officer_does_not() =>
        CaseworkerRule.IsCaseworker(User("oscar", Roles.Officer), ResponsibleOfficer).ShouldBeFalse();

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Funder)]
    [InlineData(Roles.Admin)]
    public void Auditors_funders_and_administrators_do_not(string role) =>
        CaseworkerRule.IsCaseworker(User("ada", role), ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void The_responsible_officers_id_without_the_officer_role_is_not_enough() =>
        CaseworkerRule.IsCaseworker(User(ResponsibleOfficer, Roles.Auditor), ResponsibleOfficer).ShouldBeFalse();

    [Fact]
    public void A_case_whose_responsible_officer_is_not_known_is_for_supervisors_only()
    {
        CaseworkerRule.IsCaseworker(User("sam", Roles.Supervisor), null).ShouldBeTrue();
        CaseworkerRule.IsCaseworker(User("oscar", Roles.Officer), null).ShouldBeFalse();
    }
}
