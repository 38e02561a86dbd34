using System.Security.Claims;
using Microsoft.Extensions.Options;
using Protection.Contracts.Cases;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.Triage.Cases;
using Protection.Triage.Risk;

namespace Protection.UnitTests.Triage;

/// <summary>
/// Who may read and change a case in triage, by organisation first (the holding triage learned from intake)
/// and by the caseworker rule within the owner; and who may read a case's audit, in every service.
/// </summary>
public sealed class TriageAccessRules
{
    private const string A = "org-a";
    private const string B = "org-b";
    private const string C = "org-c";
    private const string Olivia = "olivia"; // the officer who opened the case, so responsible for it

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private readonly TriageCase _case = new TriageDecisions(Options.Create(ShippedTriageOptions.Load()))
        .TakeIn(Guid.CreateVersion7(), "PC-2026-000001", "CO", Olivia, Now, [], 1, new ConsentScopes(false, false),
            Now)
        .Events.OfType<CaseTakenIn>().Single().Start();

    private static ClaimsPrincipal User(string id, string role, string organisation = A, params string[] audits) =>
        new(new ClaimsIdentity(
            [
                new Claim(AuthenticationSetup.UserIdClaim, id),
                new Claim(AuthenticationSetup.RoleClaim, role),
                new Claim(AuthenticationSetup.OrganisationClaim, organisation),
                .. audits.Select(a => new Claim(OrganisationRule.AuditsClaim, a)),
            ],
            "test",
            AuthenticationSetup.UserIdClaim,
            AuthenticationSetup.RoleClaim));

    private CaseHolding Held(string? owner, params CasePartner[] partners)
    {
        var holding = new CaseHolding { Id = _case.Id };
        holding.Learn(owner, partners, version: 1);
        return holding;
    }

    [Fact]
    public void The_owners_responsible_officer_and_supervisors_read_and_change_the_case()
    {
        var holding = Held(A);
        foreach (var user in new[] { User(Olivia, Roles.Officer), User("sam", Roles.Supervisor) })
        {
            CaseAccess.IsCaseworker(user, _case, holding).ShouldBeTrue();
            CaseAccess.Read(user, _case, holding).ShouldBeNull();
            CaseAccess.Change(user, _case, holding, Actor.Caseworker).ShouldBeNull();
        }

        CaseAccess.Change(User("sam", Roles.Supervisor), _case, holding, Actor.Supervisor).ShouldBeNull();
    }

    [Fact]
    public void Another_officer_of_the_owner_is_refused_403_as_before()
    {
        var holding = Held(A);
        var oscar = User("oscar", Roles.Officer);
        CaseAccess.Read(oscar, _case, holding).ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        CaseAccess.Change(oscar, _case, holding, Actor.Caseworker).ShouldNotBeNull().Kind
            .ShouldBe(RefusalKind.Forbidden);
        CaseAccess.Change(User(Olivia, Roles.Officer), _case, holding, Actor.Supervisor).ShouldNotBeNull().Kind
            .ShouldBe(RefusalKind.Forbidden);
    }

    [Theory]
    [InlineData(Olivia, Roles.Officer, B)]          // the same user id, in another organisation
    [InlineData("bob", Roles.Supervisor, B)]
    [InlineData("aud", Roles.Auditor, "audit-body", B)]   // audits B, not the owner
    [InlineData("aud", Roles.Auditor, A)]           // an auditor audits by grant, not by membership
    [InlineData("fay", Roles.Funder, A, A)]         // the audits claim counts only for auditors
    public void Anyone_the_case_does_not_concern_is_told_it_does_not_exist(
        string id, string role, string organisation, params string[] audits)
    {
        var holding = Held(A, new CasePartner(C, SeesPersonalData: true));
        var user = User(id, role, organisation, audits);
        CaseAccess.Read(user, _case, holding).ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
        foreach (var actor in Enum.GetValues<Actor>())
        {
            CaseAccess.Change(user, _case, holding, actor).ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
        }
    }

    [Fact]
    public void A_case_whose_owner_triage_has_not_learned_is_no_ones()
    {
        var holding = Held(null);
        CaseAccess.Read(User("sam", Roles.Supervisor), _case, holding).ShouldNotBeNull().Kind
            .ShouldBe(RefusalKind.NotFound);
        CaseAccess.Change(User(Olivia, Roles.Officer), _case, holding, Actor.Caseworker).ShouldNotBeNull().Kind
            .ShouldBe(RefusalKind.NotFound);
    }

    [Theory]
    [InlineData("bea", Roles.Officer, B)]
    [InlineData("bob", Roles.Supervisor, B)]
    [InlineData("aud", Roles.Auditor, "audit-body", A)]
    public void Partners_staff_and_the_owners_auditors_read_with_the_staff_texts_withheld_and_change_nothing(
        string id, string role, string organisation, params string[] audits)
    {
        var holding = Held(A, new CasePartner(B, SeesPersonalData: true));
        var user = User(id, role, organisation, audits);
        CaseAccess.Read(user, _case, holding).ShouldBeNull();
        CaseAccess.ReadsWithheld(user, holding).ShouldBeTrue();
        CaseAccess.IsCaseworker(user, _case, holding).ShouldBeFalse();
        foreach (var actor in Enum.GetValues<Actor>())
        {
            CaseAccess.Change(user, _case, holding, actor).ShouldNotBeNull().Kind.ShouldBe(RefusalKind.Forbidden);
        }
    }

    [Fact]
    public void After_a_transfer_the_new_owners_supervisor_acts_and_the_former_owners_staff_are_turned_away()
    {
        var holding = Held(A);
        holding.Learn(B, [], version: 4).ShouldBeTrue();

        CaseAccess.Change(User("bob", Roles.Supervisor, B), _case, holding, Actor.Supervisor).ShouldBeNull();
        CaseAccess.Read(User("bob", Roles.Supervisor, B), _case, holding).ShouldBeNull();
        foreach (var former in new[] { User(Olivia, Roles.Officer), User("sam", Roles.Supervisor) })
        {
            CaseAccess.Read(former, _case, holding).ShouldNotBeNull().Kind.ShouldBe(RefusalKind.NotFound);
            CaseAccess.Change(former, _case, holding, Actor.Caseworker).ShouldNotBeNull().Kind
                .ShouldBe(RefusalKind.NotFound);
        }

        // The responsible officer's id carries no weight in the new organisation without the caseworker rule.
        CaseAccess.Read(User(Olivia, Roles.Officer, B), _case, holding).ShouldBeNull();
        CaseAccess.IsCaseworker(User(Olivia, Roles.Officer, B), _case, holding).ShouldBeTrue();
    }

    [Fact]
    public void The_newest_holding_wins_whatever_order_it_arrives_in_and_the_opening_counts_as_version_1()
    {
        var holding = new CaseHolding { Id = _case.Id };
        holding.Learn(B, [new CasePartner(C, false)], version: 3).ShouldBeTrue();
        holding.Learn(A, [], version: 1).ShouldBeFalse();          // the opening, arriving late
        holding.Learn(A, [], version: 2).ShouldBeFalse();          // an older holding
        holding.Learn(B, [new CasePartner(C, false)], version: 3).ShouldBeFalse(); // the same, again
        (holding.Owner, holding.Version).ShouldBe((B, 3L));
        holding.Partners.ShouldBe([new CasePartner(C, false)]);

        holding.Learn(B, [], version: 5).ShouldBeTrue();           // the share revoked
        holding.Partners.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("aud", Roles.Auditor, "audit-body", true, true, A)]
    [InlineData("aud", Roles.Auditor, "audit-body", false, true, A)]
    [InlineData("aud", Roles.Auditor, "audit-body", true, false, B)]
    [InlineData("aud", Roles.Auditor, A, true, false)]
    [InlineData("sam", Roles.Supervisor, A, true, true)]
    [InlineData("sam", Roles.Supervisor, A, false, false)]    // verification and access log are auditors'
    [InlineData("bob", Roles.Supervisor, B, true, false)]
    [InlineData("oscar", Roles.Officer, A, true, false)]
    [InlineData("fay", Roles.Funder, A, true, false, A)]
    public void The_audit_of_a_case_is_for_the_owners_supervisors_history_and_the_auditors_of_the_owner(
        string id, string role, string organisation, bool history, bool allowed, params string[] audits) =>
        CaseAuditRule.MayRead(User(id, role, organisation, audits), A, history).ShouldBe(allowed);

    [Fact]
    public void The_audit_of_a_case_with_no_known_owner_is_no_ones() =>
        CaseAuditRule.MayRead(User("aud", Roles.Auditor, "audit-body", A), null, history: true).ShouldBeFalse();
}
