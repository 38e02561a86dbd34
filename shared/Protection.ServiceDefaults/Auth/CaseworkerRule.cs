using System.Security.Claims;

namespace Protection.ServiceDefaults.Auth;

/// <summary>
/// Who may act on a case, in one place for every service that holds cases: a supervisor of the
/// organisation that owns the case on any of its cases, an officer of it on the cases they are responsible
/// for. Each service knows the owner and the responsible officer from its own copy of the case; the rule
/// is the same everywhere, so it lives here.
/// </summary>
public static class CaseworkerRule
{
    /// <summary>
    /// Of the organisation <paramref name="owner"/> (<see cref="OrganisationRule"/>): a supervisor, or an
    /// officer whose id is <paramref name="responsibleOfficer"/>. The id alone, without the officer role or
    /// outside the owner, is not enough (after a transfer the former organisation's officer is no longer
    /// responsible); a case whose responsible officer is not known (<c>null</c>) is for supervisors only.
    /// </summary>
    public static bool IsCaseworker(ClaimsPrincipal user, string? owner, string? responsibleOfficer) =>
        OrganisationRule.IsStaffOf(user, owner)
        && (user.IsInRole(Roles.Supervisor)
            || (responsibleOfficer is not null && user.IsInRole(Roles.Officer)
                && responsibleOfficer == user.UserId()));
}
