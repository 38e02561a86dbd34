using System.Security.Claims;
using Protection.ServiceDefaults.Auth;

namespace Protection.EmergencyAssistance.Funds;

/// <summary>
/// Funds belong to their creator's organisation: only its funders see them in full, top them up and decide on
/// and pay the grants drawn on them. To anyone else another organisation's fund does not exist (404).
/// </summary>
public static class FundAccess
{
    /// <summary>True for a funder of <paramref name="organisation"/>: a fund's, or the one a grant draws on.</summary>
    public static bool IsFunderOf(ClaimsPrincipal user, string? organisation) =>
        !string.IsNullOrEmpty(organisation)
        && user.IsInRole(Roles.Funder)
        && user.OrganisationId() == organisation;

    public static bool IsFunderOf(ClaimsPrincipal user, Fund fund) => IsFunderOf(user, fund.Organisation);
}
