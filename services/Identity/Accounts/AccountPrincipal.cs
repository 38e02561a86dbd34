using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Protection.ServiceDefaults.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Protection.Identity.Accounts;

/// <summary>
/// What a token says about its holder: <c>sub</c> (the account id, pseudonymous), <c>org</c> and
/// <c>role</c> in the access token; the user name only in the identity token, for the console to
/// greet its user. Read from the database at every issue, so a revoked role is gone at the next refresh.
/// </summary>
public static class AccountPrincipal
{
    public static async Task<ClaimsPrincipal> CreateAsync(
        UserManager<Account> users, Account account, IEnumerable<string> scopes, string audience)
    {
        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString())
            .SetClaim(AuthenticationSetup.OrganisationClaim, account.OrganisationId.ToString())
            .SetClaim(Claims.PreferredUsername, account.UserName)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(account)]);
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
            Claims.Subject or Claims.Role or AuthenticationSetup.OrganisationClaim =>
                [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [],
        });
        return new ClaimsPrincipal(identity);
    }
}
