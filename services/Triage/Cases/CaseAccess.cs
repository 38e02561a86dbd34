using System.Security.Claims;
using Protection.ServiceDefaults.Auth;

namespace Protection.Triage.Cases;

/// <summary>Officers see and act on the cases they are responsible for (assigned, or opened and not yet assigned); supervisors on all.</summary>
public static class CaseAccess
{
    public static bool IsSupervisor(ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor);

    public static bool IsCaseworker(ClaimsPrincipal user, TriageCase @case) =>
        CaseworkerRule.IsCaseworker(user, @case.ResponsibleOfficer);

    /// <summary>Auditors read triage (its free text is sealed and withheld from them) but change nothing.</summary>
    public static bool MayRead(ClaimsPrincipal user, TriageCase @case) => IsCaseworker(user, @case) || user.IsInRole(Roles.Auditor);
}
