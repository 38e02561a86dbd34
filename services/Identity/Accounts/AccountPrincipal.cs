using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Protection.ServiceDefaults.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Protection.Identity.Accounts;

/// <summary>
/// What a token says about its holder: <c>sub</c> (the account id, pseudonymous), <c>org</c>,
/// <c>role</c> and, for an auditor, one <c>audits</c> per organisation their audit body is granted, in
/// the access token; the user name only in the identity token, for the console to greet its user. Read
/// from the database at every issue, so a revoked role or grant is gone at the next refresh.
/// </summary>
public static class AccountPrincipal
{
    public static async Task<ClaimsPrincipal> CreateAsync(
        UserManager<Account> users, IdentityDb db, Account account, IEnumerable<string> scopes, string audience)
    {
        var roles = await users.GetRolesAsync(account);
        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString())
            .SetClaim(AuthenticationSetup.OrganisationClaim, account.OrganisationId.ToString())
            .SetClaim(Claims.PreferredUsername, account.UserName)
            .SetClaims(Claims.Role, [.. roles]);
        if (roles.Contains(Roles.Auditor))
        {
            var audited = await db.AuditGrants
                .Where(g => g.AuditOrganisationId == account.OrganisationId)
                .OrderBy(g => g.AuditedOrganisationId)
                .Select(g => g.AuditedOrganisationId.ToString())
                .ToListAsync();
            identity.SetClaims(OrganisationRule.AuditsClaim, [.. audited]);
        }

        return Finish(identity, scopes, audience);
    }

    /// <summary>A machine client acting for itself (client credentials): its id is the subject.</summary>
    public static ClaimsPrincipal ForClient(
        string clientId, ClientOptions client, IEnumerable<string> scopes, string audience)
    {
        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, $"client:{clientId}")
            .SetClaims(Claims.Role, [.. client.Roles]);
        if (client.Organisation is not null)
        {
            identity.SetClaim(AuthenticationSetup.OrganisationClaim, client.Organisation);
        }

        return Finish(identity, scopes, audience);
    }

    private static ClaimsPrincipal Finish(ClaimsIdentity identity, IEnumerable<string> scopes, string audience)
    {
        identity.SetScopes(scopes.ToImmutableArray());
        identity.SetResources(audience);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.PreferredUsername => [Destinations.IdentityToken],
            Claims.Subject or Claims.Role or AuthenticationSetup.OrganisationClaim or OrganisationRule.AuditsClaim =>
                [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [],
        });
        return new ClaimsPrincipal(identity);
    }
}
