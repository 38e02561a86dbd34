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

    /// <summary>
    /// An access token for <paramref name="user"/> acting in <paramref name="roles"/>, valid for ten minutes.
    /// </summary>
    public static string For(string user, params string[] roles)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = user, ["role"] = roles },
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
        });
    }
}
