using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Protection.ServiceDefaults.Auth;

public static class AuthenticationSetup
{
    public const string UserIdClaim = "sub";
    public const string RoleClaim = "role";
    public const string OrganisationClaim = "org";

    /// <summary>
    /// JWT bearer validation against the authority's published keys (discovery + JWKS, cached and
    /// read again when a token names an unknown key id), and the shared role policies.
    /// </summary>
    public static IHostApplicationBuilder AddProtectionAuth(this IHostApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(options);

        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                // Never a test's adjustable clock: tokens are checked against real time.
                jwt.TimeProvider = TimeProvider.System;
                jwt.RefreshOnIssuerKeyNotFound = true;
                jwt.ConfigurationManager = ConfigurationManager(options);
                jwt.TokenValidationParameters = ValidationParameters(options);
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity identity
                            && context.SecurityToken is JsonWebToken token)
                        {
                            MapClaims(identity, token, options.Claims);
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        builder.Services.AddAuthorizationBuilder().AddProtectionPolicies();
        return builder;
    }

    /// <summary>Registers every policy of <see cref="Policies"/>; the gateway and the services share them.</summary>
    public static AuthorizationBuilder AddProtectionPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (policy, roles) in Policies.RolesByPolicy)
        {
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        return authorization;
    }

    /// <summary>Issuer, audience, lifetime and algorithm are all checked; the keys come from the authority.</summary>
    public static TokenValidationParameters ValidationParameters(AuthOptions options) => new()
    {
        ValidIssuers = [options.Authority!, options.Authority!.TrimEnd('/')],
        ValidAudience = options.Audience,
        ValidAlgorithms = options.Algorithms,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        NameClaimType = UserIdClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = options.ClockSkew,
    };

    /// <summary>
    /// Puts the provider's roles and organisation where the policies read them (<c>role</c>,
    /// <c>org</c>). When a path other than the default is configured, claims of the default name that
    /// the token carries are dropped: only the configured path speaks for roles.
    /// </summary>
    public static void MapClaims(ClaimsIdentity identity, JsonWebToken token, ClaimMapping mapping)
    {
        Map(identity, token, mapping.Roles, RoleClaim);
        Map(identity, token, mapping.Organisation, OrganisationClaim);
        Map(identity, token, mapping.AuditedOrganisations, OrganisationRule.AuditsClaim);
    }

    private static void Map(ClaimsIdentity identity, JsonWebToken token, string path, string target)
    {
        if (path == target)
        {
            return;
        }

        foreach (var claim in identity.FindAll(target).ToArray())
        {
            identity.RemoveClaim(claim);
        }

        var segments = path.Split('.');
        if (segments.Length == 1 && token.TryGetPayloadValue<string>(segments[0], out var single))
        {
            identity.AddClaim(new Claim(target, single));
            return;
        }

        if (!token.TryGetPayloadValue<JsonElement>(segments[0], out var element))
        {
            return;
        }

        foreach (var segment in segments.Skip(1))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return;
            }
        }

        var values = element.ValueKind switch
        {
            JsonValueKind.Array => element.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => e.GetString()!),
            JsonValueKind.String => [element.GetString()!],
            _ => [],
        };
        foreach (var value in values)
        {
            identity.AddClaim(new Claim(target, value));
        }
    }

    private static ConfigurationManager<OpenIdConnectConfiguration> ConfigurationManager(AuthOptions options)
    {
        var metadata = options.MetadataAddress ?? $"{options.Authority!.TrimEnd('/')}/.well-known/openid-configuration";
        var documents = new HttpDocumentRetriever(new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            RequireHttps = options.RequireHttpsMetadata ?? true,
        };
        return new ConfigurationManager<OpenIdConnectConfiguration>(
            metadata, new DiscoveryRetriever(options), documents)
        {
            // Rollover: an unknown key id makes the handler read the keys again, at most this often.
            RefreshInterval = TimeSpan.FromSeconds(30),
        };
    }

    private static AuthOptions ReadOptions(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(options.Authority))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Auth:Authority is not configured. Set Auth__Authority to the OpenID Connect issuer "
                    + "(the bundled identity service's public address, e.g. https://protection.example.org/, "
                    + "or your Keycloak realm / Entra ID tenant); see README, Sign-in.");
            }

            options.Authority = AuthOptions.DevelopmentAuthority;
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException(
                $"Auth:Authority must be an absolute URL; it is '{options.Authority}'.");
        }

        options.RequireHttpsMetadata ??= !environment.IsDevelopment();
        return options;
    }

    /// <summary>The acting user's pseudonymous id (the token's subject).</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(UserIdClaim) ?? "anonymous";

    /// <summary>The organisation the user acts for (the token's <c>org</c>), if any.</summary>
    public static string? OrganisationId(this ClaimsPrincipal user) => user.FindFirstValue(OrganisationClaim);

    public static IReadOnlyList<string> RoleNames(this ClaimsPrincipal user) =>
        user.FindAll(RoleClaim).Select(c => c.Value).ToArray();
}

/// <summary>
/// Reads the discovery document and key set. When the document is read from an internal address
/// (<see cref="AuthOptions.MetadataAddress"/>), the key set's address, which the authority writes
/// under its public address, is read from the same internal host.
/// </summary>
internal sealed class DiscoveryRetriever(AuthOptions options) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(
        string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var document = await retriever.GetDocumentAsync(address, cancel);
        var configuration = OpenIdConnectConfiguration.Create(document);
        var jwks = Rebase(configuration.JwksUri);
        if (!string.IsNullOrEmpty(jwks))
        {
            configuration.JsonWebKeySet = new JsonWebKeySet(await retriever.GetDocumentAsync(jwks, cancel));
            foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }
        }

        return configuration;
    }

    private string? Rebase(string? jwksUri) =>
        jwksUri is not null && options.InternalBase() is { } internalBase
            ? AuthOptions.Rebase(jwksUri, options.Authority!, internalBase)
            : jwksUri;
}
