using System.Security.Claims;
using Protection.ServiceDefaults.Auth;

namespace Protection.Intake.Cases;

/// <summary>What a user may see of a case. Officers see the cases they are responsible for: assigned to them in triage, or opened by them and not (yet) assigned to someone else. Supervisors see all.</summary>
public static class CaseAccess
{
    public static bool IsSupervisor(ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor);

    /// <summary>May read the full case file, personal data included, and act on the case.</summary>
    public static bool IsCaseworker(ClaimsPrincipal user, Case @case) =>
        CaseworkerRule.IsCaseworker(user, @case.ResponsibleOfficer);

    /// <summary>May read the case file without personal data (auditors).</summary>
    public static bool MayReadWithoutPersonalData(ClaimsPrincipal user) => user.IsInRole(Roles.Auditor);
}
