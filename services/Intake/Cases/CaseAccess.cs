using System.Security.Claims;
using Marten;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.Intake.Cases;

/// <summary>
/// What a user may see of a case, within its organisation (<see cref="OrganisationRule"/>). Officers see
/// the cases they are responsible for: assigned to them in triage, or opened by them and not (yet) assigned
/// to someone else. Supervisors see all of their organisation's.
/// </summary>
public static class CaseAccess
{
    public static bool IsSupervisor(ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor);

    /// <summary>The officer responsible: the one triage assigned (as intake learned it), else the opener.</summary>
    public static string ResponsibleOfficer(Case @case, Learned learned) => learned.AssignedTo ?? @case.OpenedBy;

    /// <summary>May read the full case file, personal data included, and act on the case.</summary>
    public static bool IsCaseworker(ClaimsPrincipal user, Case @case, Learned learned) =>
        CaseworkerRule.IsCaseworker(user, @case.Organisation, ResponsibleOfficer(@case, learned));

    /// <summary>
    /// Whether the user may change the case: its caseworkers may; anyone the case does not exist for is told
    /// it does not (404); anyone else who knows it (a colleague, a partner, an auditor) is refused (403).
    /// </summary>
    public static Refusal? MayAct(ClaimsPrincipal user, Case @case, Learned learned, string forbidden) =>
        IsCaseworker(user, @case, learned) ? null
        : StandingOf(user, @case) == CaseStanding.None ? Refusal.NotFound("The case")
        : Refusal.Forbidden(forbidden);

    /// <summary>
    /// <see cref="MayAct"/> as a command's authorization step: on what intake has learned of the case (its
    /// assignee), read in the command's own session.
    /// </summary>
    public static Func<IDocumentSession, Case, Task<Refusal?>> Caseworkers(
        ClaimsPrincipal user, string forbidden, CancellationToken cancellationToken) =>
        async (session, @case) => MayAct(
            user,
            @case,
            (await session.LoadAsync<CaseProgress>(@case.Id, cancellationToken) ?? CaseProgress.Of(@case.Id)).Now,
            forbidden);

    /// <summary>
    /// A supervisor of the organisation the referral is addressed to: they answer it, though until they accept
    /// the case they have no standing on it.
    /// </summary>
    public static bool IsReceiverOf(ClaimsPrincipal user, Referral referral) =>
        IsSupervisor(user) && OrganisationRule.IsStaffOf(user, referral.ToOrganisation);

    /// <summary>How the user stands towards the case by organisation.</summary>
    public static CaseStanding StandingOf(ClaimsPrincipal user, Case @case) =>
        OrganisationRule.StandingOf(user, @case.Organisation, @case.Partners);

    /// <summary>
    /// May read the case file without personal data: auditors of the owner organisation, and the
    /// organisations it is shared with.
    /// </summary>
    public static bool MayReadWithoutPersonalData(ClaimsPrincipal user, Case @case) =>
        StandingOf(user, @case) is CaseStanding.Auditor or CaseStanding.Partner;
}
