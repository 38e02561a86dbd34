using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Protection.ServiceDefaults.Secrets;

namespace Protection.EndToEndTests;

/// <summary>
/// Every token that is not the authority's, valid now, for this API, is refused with 401 by the
/// gateway and by each service on its own (defence in depth), whatever roles it claims.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TokenValidationTests(ProtectionSystem system)
{
    public static TheoryData<string> Forgeries =>
    [
        "another key", "expired", "another audience", "another issuer", "alg none", "HS256 with the former shared key",
        "no expiry",
    ];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_stale_token_gets_401_at_the_gateway_and_at_every_service(string forgery)
    {
        var token = Forge(forgery);
        var targets = new (string What, Uri Address, string Path)[]
        {
            ("gateway", system.Issuer, "/api/cases"),
            ("intake", system.Intake.Address, "/api/cases"),
            ("triage", system.Triage.Address, "/api/triage/queue"),
            ("assistance", system.Assistance.Address, "/api/grants"),
            ("relocation", system.Relocation.Address, $"/api/relocations/{Guid.NewGuid()}"),
            ("identity", system.Identity.Address, "/api/admin/users"),
        };
        foreach (var (what, address, path) in targets)
        {
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{forgery} at {what}");
        }
    }

    [Fact]
    public async Task The_same_token_signed_with_the_authoritys_key_is_accepted_everywhere()
    {
        // The control for the forgeries above: only what was forged differs.
        var token = Sign(Claims(), DevelopmentKey(), SecurityAlgorithms.RsaSha256);
        foreach (var address in new[] { system.Issuer, system.Intake.Address })
        {
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// The gateway remembers a token it has validated (by its exact text): the same claims with one byte of
    /// the payload changed, the signature kept, are another token and refused.
    /// </summary>
    [Fact]
    public async Task A_token_the_gateway_accepted_with_its_payload_changed_gets_401_and_the_original_still_passes()
    {
        var token = Sign(Claims(), DevelopmentKey(), SecurityAlgorithms.RsaSha256);
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"mallory\"", "\"mallorz\"", StringComparison.Ordinal);
        payload.ShouldContain("mallorz");
        var altered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        (await GatewayAcceptsAsync(token)).ShouldBeTrue();
        (await GatewayAcceptsAsync(altered)).ShouldBeFalse();
        (await GatewayAcceptsAsync(token)).ShouldBeTrue();
    }

    /// <summary>A token the gateway remembers is refused once it has expired (the tests' clock skew is 1 s).</summary>
    [Fact]
    public async Task A_token_the_gateway_accepted_is_refused_once_it_has_expired()
    {
        var expires = DateTime.UtcNow.AddSeconds(4);
        var token = Sign(Claims(expires: expires), DevelopmentKey(), SecurityAlgorithms.RsaSha256);
        (await GatewayAcceptsAsync(token)).ShouldBeTrue();

        // Polled, not slept: it must turn 401 soon after expiry plus skew, not when a cache entry lapses (30 s).
        var deadline = expires.AddSeconds(1 + 4);
        var accepted = true;
        while (DateTime.UtcNow < deadline && accepted)
        {
            accepted = await GatewayAcceptsAsync(token);
            if (accepted)
            {
                await Task.Delay(200);
            }
        }

        accepted.ShouldBeFalse();
        DateTime.UtcNow.ShouldBeGreaterThan(expires.AddSeconds(-1));
    }

    /// <summary>
    /// Whether the gateway itself accepts the token: a case's chain verification is composed by the gateway
    /// (services that refuse the token only make parts of it missing), so a 401 there is the gateway's own.
    /// </summary>
    private async Task<bool> GatewayAcceptsAsync(string token)
    {
        using var client = new HttpClient { BaseAddress = system.Issuer };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync($"/api/cases/{Guid.NewGuid()}/verify")).StatusCode
            != HttpStatusCode.Unauthorized;
    }

    private string Forge(string forgery) => forgery switch
    {
        "another key" => Sign(
            Claims(),
            new RsaSecurityKey(RSA.Create(2048)) { KeyId = DevelopmentKey().KeyId },
            SecurityAlgorithms.RsaSha256),
        "expired" => Sign(
            Claims(expires: DateTime.UtcNow.AddMinutes(-5), issuedAt: DateTime.UtcNow.AddMinutes(-15)),
            DevelopmentKey(),
            SecurityAlgorithms.RsaSha256),
        "another audience" => Sign(Claims(audience: "another-api"), DevelopmentKey(), SecurityAlgorithms.RsaSha256),
        "another issuer" =>
            Sign(Claims(issuer: "https://evil.example/"), DevelopmentKey(), SecurityAlgorithms.RsaSha256),
        "alg none" => Unsigned(),
        "HS256 with the former shared key" => Sign(
            Claims(),
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PublishedSecrets.FormerDevelopmentSigningKey)),
            SecurityAlgorithms.HmacSha256),
        "no expiry" => Sign(Claims(withoutExpiry: true), DevelopmentKey(), SecurityAlgorithms.RsaSha256),
        _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
    };

    /// <summary>
    /// Everything a supervisor, auditor and administrator could want, so that only validation stands in the way.
    /// </summary>
    private SecurityTokenDescriptor Claims(
        string? audience = null,
        string? issuer = null,
        DateTime? expires = null,
        DateTime? issuedAt = null,
        bool withoutExpiry = false)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = issuer ?? system.Issuer.AbsoluteUri,
            Audience = audience ?? "protection-api",
            IssuedAt = now,
            NotBefore = now,
            Expires = withoutExpiry ? null : expires ?? now.AddMinutes(5),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "mallory",
                ["org"] = "development",
                ["role"] = new[] { "officer", "supervisor", "auditor", "admin" },
            },
        };
    }

    private static string Sign(SecurityTokenDescriptor descriptor, SecurityKey key, string algorithm)
    {
        descriptor.SigningCredentials = new SigningCredentials(key, algorithm);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private string Unsigned()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(
            $$"""{"iss":"{{system.Issuer.AbsoluteUri}}","aud":"protection-api","sub":"mallory","role":""" +
            $$"""["supervisor","admin"],"exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>The identity service's development key pair: published, accepted in Development only.</summary>
    private static RsaSecurityKey DevelopmentKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(PublishedSecrets.DevelopmentSigningKeyPem);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
