using System.Security.Claims;

namespace Protection.ServiceDefaults.Auth;

/// <summary>
/// Who may act on a case, in one place for every service that holds cases: a supervisor on any
/// case, an officer on the cases they are responsible for. Each service knows the responsible
/// officer from its own copy of the case; the rule is the same everywhere, so it lives here.
/// </summary>
public static class CaseworkerRule
{
    /// <summary>
    /// A supervisor, or an officer whose id is <paramref name="responsibleOfficer"/>. The id alone,
    /// without the officer role, is not enough; a case whose responsible officer is not known
    /// (<c>null</c>) is for supervisors only.
    /// </summary>
    public static bool IsCaseworker(ClaimsPrincipal user, string? responsibleOfficer) =>
        user.IsInRole(Roles.Supervisor)
        || (responsibleOfficer is not null && user.IsInRole(Roles.Officer) && responsibleOfficer == user.UserId());
}
