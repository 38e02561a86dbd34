using System.Security.Claims;
using Protection.ServiceDefaults.Auth;

namespace Protection.Intake.Cases;

/// <summary>What a user may see of a case. Officers see the cases they opened (and, with triage, those assigned to them); supervisors see all.</summary>
public static class CaseAccess
{
    public static bool IsSupervisor(ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor);

    /// <summary>May read the full case file, personal data included, and act on the case.</summary>
    public static bool IsCaseworker(ClaimsPrincipal user, Case @case) =>
        IsSupervisor(user) || (user.IsInRole(Roles.Officer) && @case.OpenedBy == user.UserId());

    /// <summary>May read the case file without personal data (auditors).</summary>
    public static bool MayReadWithoutPersonalData(ClaimsPrincipal user) => user.IsInRole(Roles.Auditor);
}
