using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Protection.Identity.Accounts;
using Protection.ServiceDefaults.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Protection.Identity.Server;

/// <summary>
/// The OpenID Connect endpoints OpenIddict hands to us once it has validated the request (client,
/// redirect URI, PKCE, grant): who the user is, and what their tokens say.
/// </summary>
public static class ConnectEndpoints
{
    private const string Server = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapMethods("/authorize", ["GET", "POST"], (Delegate)Authorize);
        connect.MapPost("/token", Exchange);
        connect.MapMethods("/userinfo", ["GET", "POST"], (Delegate)UserInfo);
        connect.MapMethods("/logout", ["GET", "POST"], (Delegate)Logout);
        return app;
    }

    /// <summary>
    /// Code flow: a signed-in account (the sign-in page's cookie) gets a code; anyone else is sent to sign in.
    /// </summary>
    private static async Task<IResult> Authorize(
        HttpContext http, UserManager<Account> users, IdentityDb db, AuthOptions auth, TimeProvider clock)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var account = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
        var tooOld = request.MaxAge is { } maxAge && session.Properties?.IssuedUtc is { } issued &&
                     clock.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge);

        if (account is null || !account.IsActive || request.HasPromptValue(PromptValues.Login) || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            if (session.Succeeded)
            {
                await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            }

            // Back here after signing in, with the same parameters (less prompt=login, or it would loop).
            var parameters = (http.Request.HasFormContentType
                    ? http.Request.Form.AsEnumerable()
                    : http.Request.Query.AsEnumerable())
                .Where(p => p.Key != Parameters.Prompt || !request.HasPromptValue(PromptValues.Login));
            return Results.Challenge(
                new AuthenticationProperties
                {
                    RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters),
                },
                [IdentityConstants.ApplicationScheme]);
        }

        var principal = await AccountPrincipal.CreateAsync(users, db, account, request.GetScopes(), auth.Audience);
        return Results.SignIn(principal, authenticationScheme: Server);
    }

    /// <summary>
    /// Codes and refresh tokens are exchanged for tokens only while the account is active and may sign
    /// in; the claims are read again each time. Machine clients act for themselves.
    /// </summary>
    private static async Task<IResult> Exchange(
        HttpContext http,
        UserManager<Account> users,
        IdentityDb db,
        IOptions<IdentityServiceOptions> options,
        AuthOptions auth)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            var clientId = request.ClientId!;
            return options.Value.Clients.TryGetValue(clientId, out var client) && client.IsConfidential
                ? Results.SignIn(
                    AccountPrincipal.ForClient(clientId, client, request.GetScopes(), auth.Audience),
                    authenticationScheme: Server)
                : Refuse(Errors.UnauthorizedClient, "This client may not act for itself.");
        }

        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        var granted = await http.AuthenticateAsync(Server);
        var account = granted.Principal?.GetClaim(Claims.Subject) is { } subject
            ? await users.FindByIdAsync(subject)
            : null;
        if (account is null || !account.IsActive || await users.IsLockedOutAsync(account) || !account.TwoFactorEnabled)
        {
            return Refuse(Errors.InvalidGrant, "The grant is no longer valid.");
        }

        var principal = await AccountPrincipal.CreateAsync(
            users, db, account, granted.Principal!.GetScopes(), auth.Audience);
        return Results.SignIn(principal, authenticationScheme: Server);
    }

    private static async Task<IResult> UserInfo(HttpContext http, UserManager<Account> users)
    {
        var token = await http.AuthenticateAsync(Server);
        var account = token.Principal?.GetClaim(Claims.Subject) is { } subject
            ? await users.FindByIdAsync(subject)
            : null;
        if (account is null || !account.IsActive)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The token is no longer valid.",
                }),
                [Server]);
        }

        return Results.Ok(new Dictionary<string, object?>
        {
            [Claims.Subject] = account.Id.ToString(),
            [AuthenticationSetup.OrganisationClaim] = account.OrganisationId.ToString(),
            [Claims.Role] = await users.GetRolesAsync(account),
            [Claims.PreferredUsername] = account.UserName,
        });
    }

    private static async Task<IResult> Logout(HttpContext http)
    {
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Server]);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [Server]);

}
