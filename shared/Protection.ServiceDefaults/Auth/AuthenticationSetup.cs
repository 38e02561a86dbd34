using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Protection.ServiceDefaults.Auth;

public static class AuthenticationSetup
{
    public const string UserIdClaim = "sub";
    public const string RoleClaim = "role";

    /// <summary>JWT bearer validation and the shared role policies.</summary>
    public static IHostApplicationBuilder AddProtectionAuth(this IHostApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<DevTokenIssuer>();

        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TimeProvider = TimeProvider.System; // never a test's adjustable clock: tokens are checked against real time
                jwt.RequireHttpsMetadata = false;
                jwt.TokenValidationParameters = ValidationParameters(options);
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

    public static TokenValidationParameters ValidationParameters(AuthOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = SigningKey(options),
        NameClaimType = UserIdClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    internal static SymmetricSecurityKey SigningKey(AuthOptions options) =>
        new(Encoding.UTF8.GetBytes(options.SigningKey!));

    private static AuthOptions ReadOptions(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Auth:SigningKey is not configured. Set it (at least 32 characters) through the environment variable Auth__SigningKey or a secret store; the development key is used only when ASPNETCORE_ENVIRONMENT=Development.");
            }

            options.SigningKey = AuthOptions.DevelopmentSigningKey;
        }

        if (options.SigningKey.Length < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 characters long.");
        }

        return options;
    }

    /// <summary>The acting user's pseudonymous id (the token's subject).</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(UserIdClaim) ?? "anonymous";

    public static IReadOnlyList<string> RoleNames(this ClaimsPrincipal user) =>
        user.FindAll(RoleClaim).Select(c => c.Value).ToArray();
}

/// <summary>Issues signed tokens for the Development-only <c>POST /auth/dev-token</c> endpoint and for tests.</summary>
public sealed class DevTokenIssuer(AuthOptions options, TimeProvider clock)
{
    public string Issue(string user, IEnumerable<string> roles)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [AuthenticationSetup.UserIdClaim] = user,
            [AuthenticationSetup.RoleClaim] = roles.ToArray(),
        };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(options.DevTokenLifetime),
            SigningCredentials = new SigningCredentials(AuthenticationSetup.SigningKey(options), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
