using System.Security.Claims;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.Relocations.Relocations;

/// <summary>
/// Who may see and act on relocations: the shared caseworker rule (supervisors on every case, officers
/// on the cases they are responsible for), read on relocation's own copy of the case.
/// </summary>
public static class RelocationAccess
{
    /// <summary>Null when <paramref name="user"/> may act on the case; otherwise why not.</summary>
    public static Refusal? ToCase(ClaimsPrincipal user, CaseRecord @case) =>
        @case.IsCaseworker(user)
            ? null
            : Refusal.Forbidden("This case is not assigned to you.");

    /// <summary>The same rule for one relocation; a case this service does not know is for supervisors only.</summary>
    public static Refusal? ToRelocation(ClaimsPrincipal user, CaseRecord? @case) =>
        @case?.IsCaseworker(user) == true
            ? null
            : Refusal.Forbidden("This relocation is not one of your cases'.");
}
