using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// Any standard OpenID Connect provider replaces the bundled one by configuration. A stand-in shaped
/// like Keycloak (a realm path as issuer, its own key, roles under <c>realm_access.roles</c>, the
/// organisation in a custom claim) runs in the test process; a gateway and intake are started against
/// it with <c>Auth__Authority</c> and the claim mapping, and nothing else changed.
/// </summary>
public sealed class OtherProviderTests : IAsyncLifetime
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "keycloak-like-key" };
    private WebApplication _provider = null!;
    private Uri _issuer = null!;
    private string _database = string.Empty;
    private ServiceProcess? _intake;
    private ServiceProcess? _gateway;

    public async Task InitializeAsync()
    {
        var port = ServiceProcess.FreePort();
        _issuer = new Uri($"http://127.0.0.1:{port}/realms/protection");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        _provider = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(
            new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        _provider.MapGet("/realms/protection/.well-known/openid-configuration", () =>
            Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = _issuer.AbsoluteUri.TrimEnd('/'),
                ["jwks_uri"] = $"{_issuer.AbsoluteUri.TrimEnd('/')}/protocol/openid-connect/certs",
                ["authorization_endpoint"] = $"{_issuer.AbsoluteUri.TrimEnd('/')}/protocol/openid-connect/auth",
                ["token_endpoint"] = $"{_issuer.AbsoluteUri.TrimEnd('/')}/protocol/openid-connect/token",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
        _provider.MapGet("/realms/protection/protocol/openid-connect/certs", () => Results.Json(new
        {
            keys = new[] { new { kid = jwk.Kid, kty = jwk.Kty, alg = "RS256", use = "sig", n = jwk.N, e = jwk.E } },
        }));
        await _provider.StartAsync();

        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("e2e_keycloak");
        var auth = new Dictionary<string, string>
        {
            ["Auth__Authority"] = _issuer.AbsoluteUri.TrimEnd('/'),
            ["Auth__Claims__Roles"] = "realm_access.roles",
            ["Auth__Claims__Organisation"] = "organisation",
        };
        _intake = await ServiceProcess.StartAsync(
            "intake-keycloak",
            ProtectionSystem.AssemblyOf("services/Intake", "Protection.Intake"),
            new Dictionary<string, string>(auth)
            {
                ["ConnectionStrings__Postgres"] = _database,
                ["ConnectionStrings__RabbitMq"] = rabbit,
            });
        _gateway = await ServiceProcess.StartAsync(
            "gateway-keycloak",
            ProtectionSystem.AssemblyOf("gateway", "Protection.Gateway"),
            new Dictionary<string, string>(auth)
            {
                ["ReverseProxy__Clusters__intake__Destinations__primary__Address"] = _intake.Address.ToString(),
            });
    }

    [Fact]
    public async Task Roles_from_realm_access_open_the_API_and_a_top_level_role_claim_is_not_believed()
    {
        using var officer = Client(new Dictionary<string, object>
        {
            ["realm_access"] = new Dictionary<string, object>
            {
                ["roles"] = new[] { "officer", "offline_access", "uma_authorization" },
            },
            ["organisation"] = "org-a",
        });
        var opened = await officer.PostAsync(
            "/api/cases", System.Net.Http.Json.JsonContent.Create(Cases.OpenCaseBody(Cases.Defender.Unique())));
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        (await officer.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A "role" claim at the top level is not where this provider puts roles: it grants nothing.
        using var pretender = Client(new Dictionary<string, object>
        {
            ["role"] = new[] { "officer", "supervisor" },
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "offline_access" } },
        });
        (await pretender.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The bundled identity service's development key is no key of this provider's.
        using var other = new HttpClient { BaseAddress = _gateway!.Address };
        var rsa = RSA.Create();
        rsa.ImportFromPem(Protection.ServiceDefaults.Secrets.PublishedSecrets.DevelopmentSigningKeyPem);
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            Token(
                new Dictionary<string, object>
                {
                    ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "officer" } },
                },
                new RsaSecurityKey(rsa) { KeyId = _key.KeyId }));
        (await other.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private HttpClient Client(Dictionary<string, object> claims)
    {
        var client = new HttpClient { BaseAddress = _gateway!.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(claims, _key));
        return client;
    }

    /// <summary>
    /// A token as Keycloak writes one: typ JWT, the realm as issuer, azp, audience from an audience mapper.
    /// </summary>
    private string Token(Dictionary<string, object> claims, SecurityKey key)
    {
        var payload = new Dictionary<string, object>(claims)
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["azp"] = "protection-console",
            ["preferred_username"] = "someone",
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer.AbsoluteUri.TrimEnd('/'),
            Audience = "protection-api",
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = payload,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_intake is not null)
        {
            await _intake.DisposeAsync();
        }

        await _provider.DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(_database);
    }
}
