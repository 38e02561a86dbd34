using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Protection.ServiceTests.Hosting;

/// <summary>
/// The identity provider is outside a service: these tests stand in for it with a signing key of their
/// own, which the hosted service is told to trust in place of the provider's published key set. The
/// tokens are otherwise what a provider issues: issuer, audience, lifetime, subject and roles, RS256.
/// </summary>
public static class TestTokens
{
    /// <summary>The issuer the service is configured with (<c>Auth:Authority</c>) and every token names.</summary>
    public const string Issuer = "https://identity.service-tests.invalid/";

    public const string Audience = "protection-api";

    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "service-tests" };

    /// <summary>What the provider's discovery document and key set would say.</summary>
    public static OpenIdConnectConfiguration Configuration
    {
        get
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            return configuration;
        }
    }

    /// <summary>The organisation every token acts for unless a test names another.</summary>
    public const string OrganisationA = "org-a";

    /// <summary>Another protection organisation, whose cases the tests' users of A never see.</summary>
    public const string OrganisationB = "org-b";

    /// <summary>
    /// An access token for <paramref name="user"/> of organisation A acting in <paramref name="roles"/>, valid
    /// for ten minutes; an auditor's body audits A.
    /// </summary>
    public static string For(string user, params string[] roles) => Of(OrganisationA, user, roles);

    /// <summary>
    /// An access token for <paramref name="user"/> of <paramref name="organisation"/>; an auditor's body audits
    /// <paramref name="audits"/> (when not given, its own organisation).
    /// </summary>
    public static string Of(string organisation, string user, string[] roles, string[]? audits = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = user,
                ["role"] = roles,
                ["org"] = organisation,
                ["audits"] = audits ?? [organisation],
            },
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }
}
