using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Protection.ServiceDefaults.Auth;

namespace Protection.UnitTests.Shared;

/// <summary>Where other providers put roles and the organisation, and how they are read.</summary>
public sealed class TokenClaimMapping
{
    private static (ClaimsIdentity Identity, JsonWebToken Token) Token(string payloadJson)
    {
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"JWT"}""");
        var token = new JsonWebToken(
            $"{header}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payloadJson)}.");
        return (
            new ClaimsIdentity(token.Claims, "test", AuthenticationSetup.UserIdClaim, AuthenticationSetup.RoleClaim),
            token);
    }

    private static string[] Values(ClaimsIdentity identity, string type) =>
        identity.FindAll(type).Select(c => c.Value).ToArray();

    [Fact]
    public void Keycloak_realm_roles_become_roles_and_a_top_level_role_claim_is_dropped()
    {
        var (identity, token) = Token(
            """
            {"sub":"u1","role":["admin"],"realm_access":{"roles":["officer","offline_access"]},"organisation":"org-a"}
            """);

        AuthenticationSetup.MapClaims(
            identity,
            token,
            new ClaimMapping { Roles = "realm_access.roles", Organisation = "organisation" });

        Values(identity, "role").ShouldBe(["officer", "offline_access"]);
        Values(identity, "org").ShouldBe(["org-a"]);
        new ClaimsPrincipal(identity).IsInRole("admin").ShouldBeFalse();
    }

    [Fact]
    public void The_bundled_providers_claims_are_left_as_they_are()
    {
        var (identity, token) = Token("""{"sub":"u1","role":["officer","supervisor"],"org":"org-b"}""");

        AuthenticationSetup.MapClaims(identity, token, new ClaimMapping());

        Values(identity, "role").ShouldBe(["officer", "supervisor"]);
        Values(identity, "org").ShouldBe(["org-b"]);
    }

    [Theory]
    [InlineData("""{"sub":"u1","role":["admin"]}""")]
    [InlineData("""{"sub":"u1","role":["admin"],"realm_access":"officer"}""")]
    [InlineData("""{"sub":"u1","role":["admin"],"realm_access":{"roles":[1,2]}}""")]
    public void A_token_without_the_configured_path_has_no_roles_at_all(string payload)
    {
        var (identity, token) = Token(payload);

        AuthenticationSetup.MapClaims(identity, token, new ClaimMapping { Roles = "realm_access.roles" });

        Values(identity, "role").ShouldBeEmpty();
    }

    // Entra ID writes "roles" as an array; some providers a string
    [Fact]
    public void A_single_string_where_roles_are_expected_is_one_role()
    {
        var (identity, token) = Token("""{"sub":"u1","roles":"funder"}""");

        AuthenticationSetup.MapClaims(identity, token, new ClaimMapping { Roles = "roles" });

        Values(identity, "role").ShouldBe(["funder"]);
    }

    [Fact]
    public async Task Keys_are_read_from_the_internal_address_when_the_document_names_the_public_one()
    {
        var documents = new Documents(new Dictionary<string, string>
        {
            ["http://identity:8080/.well-known/openid-configuration"] =
                """
                {
                  "issuer": "https://protection.example.org/",
                  "jwks_uri": "https://protection.example.org/.well-known/jwks"
                }
                """,
            ["http://identity:8080/.well-known/jwks"] = """{"keys":[]}""",
        });
        var retriever = new DiscoveryRetriever(new AuthOptions
        {
            Authority = "https://protection.example.org/",
            MetadataAddress = "http://identity:8080/.well-known/openid-configuration",
        });

        var configuration = await retriever.GetConfigurationAsync(
            "http://identity:8080/.well-known/openid-configuration",
            documents,
            CancellationToken.None);

        configuration.Issuer.ShouldBe("https://protection.example.org/");
        documents.Read.ShouldBe(
            ["http://identity:8080/.well-known/openid-configuration", "http://identity:8080/.well-known/jwks"]);
    }

    [Fact]
    public async Task A_key_set_elsewhere_than_under_the_issuer_is_read_where_the_document_says()
    {
        var documents = new Documents(new Dictionary<string, string>
        {
            ["https://login.example.com/tenant/v2.0/.well-known/openid-configuration"] =
                """
                {
                  "issuer": "https://login.example.com/tenant/v2.0",
                  "jwks_uri": "https://login.example.com/tenant/discovery/v2.0/keys"
                }
                """,
            ["https://login.example.com/tenant/discovery/v2.0/keys"] = """{"keys":[]}""",
        });
        var retriever = new DiscoveryRetriever(new AuthOptions { Authority = "https://login.example.com/tenant/v2.0" });

        await retriever.GetConfigurationAsync(
            "https://login.example.com/tenant/v2.0/.well-known/openid-configuration",
            documents,
            CancellationToken.None);

        documents.Read.Last().ShouldBe("https://login.example.com/tenant/discovery/v2.0/keys");
    }

    private sealed class Documents(Dictionary<string, string> byAddress) : IDocumentRetriever
    {
        public List<string> Read { get; } = [];

        public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            Read.Add(address);
            return Task.FromResult(byAddress[address]);
        }
    }
}
