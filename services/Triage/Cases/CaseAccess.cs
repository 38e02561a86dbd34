using System.Security.Claims;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.Triage.Cases;

/// <summary>Who may change a case.</summary>
public enum Actor
{
    /// <summary>A supervisor, or the case's responsible officer (<see cref="CaseworkerRule"/>).</summary>
    Caseworker,

    Supervisor,
}

/// <summary>
/// Officers see and act on the cases they are responsible for (assigned, or opened and not yet
/// assigned); supervisors on all.
/// </summary>
public static class CaseAccess
{
    public static bool IsSupervisor(ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor);

    public static bool IsCaseworker(ClaimsPrincipal user, TriageCase @case) =>
        CaseworkerRule.IsCaseworker(user, user.OrganisationId(), @case.ResponsibleOfficer); // org: issue 19, next

    /// <summary>Auditors read triage (its free text is sealed and withheld from them) but change nothing.</summary>
    public static bool MayRead(ClaimsPrincipal user, TriageCase @case) =>
        IsCaseworker(user, @case) || user.IsInRole(Roles.Auditor);

    /// <summary>Why <paramref name="user"/> may not read the case, or null when they may.</summary>
    public static Refusal? Read(ClaimsPrincipal user, TriageCase @case) =>
        MayRead(user, @case) ? null : Refusal.Forbidden("This case is not assigned to you.");

    /// <summary>
    /// Why <paramref name="user"/> may not change the case as <paramref name="actor"/>, or null when
    /// they may.
    /// </summary>
    public static Refusal? Change(ClaimsPrincipal user, TriageCase @case, Actor actor) => actor switch
    {
        Actor.Supervisor when !IsSupervisor(user) => Refusal.Forbidden("Only a supervisor can do this."),
        Actor.Caseworker when !IsCaseworker(user, @case) => Refusal.Forbidden("This case is not assigned to you."),
        _ => null,
    };
}
