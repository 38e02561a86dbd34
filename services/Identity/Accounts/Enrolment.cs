using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Protection.Identity.Accounts;

/// <summary>
/// One-time enrolment links: a new account, or one whose second factor was reset, chooses its
/// password and registers its authenticator through a link an administrator hands over. The link's
/// token is bound to the account's security stamp, which enrolment changes: it works once.
/// </summary>
public sealed class Enrolment(UserManager<Account> users, IOptions<IdentityServiceOptions> options, Issuer issuer)
{
    public const string Purpose = "enrolment";

    public static readonly string Provider = TokenOptions.DefaultProvider;

    /// <summary>
    /// Gives the account a fresh authenticator key (which also ends its sessions) and returns the link.
    /// </summary>
    public async Task<(Uri Link, DateTimeOffset ExpiresAt)> StartAsync(Account account, DateTimeOffset now)
    {
        await users.ResetAuthenticatorKeyAsync(account);
        var token = await users.GenerateUserTokenAsync(account, Provider, Purpose);
        var link = new Uri(issuer.Uri, $"account/enrol?account={account.Id}&token={Uri.EscapeDataString(token)}");
        return (link, now.Add(options.Value.EnrolmentLinkLifetime));
    }

    public Task<bool> IsValidAsync(Account account, string token) =>
        users.VerifyUserTokenAsync(account, Provider, Purpose, token);
}

/// <summary>The issuer's public address: tokens name it, and links are written under it.</summary>
public sealed record Issuer(Uri Uri);
