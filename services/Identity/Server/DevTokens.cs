using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Protection.Identity.Accounts;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Identity.Server;

public sealed record DevTokenRequest
{
    [Required]
    [StringLength(100, MinimumLength = 1)]
    public string? User { get; init; }

    [Required]
    [MinLength(1)]
    public List<string>? Roles { get; init; }

    /// <summary>The organisation the token acts for; <c>development</c> when not given.</summary>
    [StringLength(100, MinimumLength = 1)]
    public string? Organisation { get; init; }

    /// <summary>
    /// For an auditor: the organisations their audit body may audit; the token's own organisation when not
    /// given.
    /// </summary>
    [MaxLength(50)]
    public List<string>? Audits { get; init; }
}

public sealed record DevTokenResponse(string Token, string TokenType, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>POST /auth/dev-token</c>, mapped only in Development: an access token for any user, roles and
/// organisation, signed with the identity service's (development) signing key exactly like the
/// tokens of the code flow, so everything downstream validates it the production way.
/// </summary>
public static class DevTokens
{
    public const string DevelopmentOrganisation = "development";

    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/dev-token", Issue)
            .WithBodyLimit(BodyLimits.Small)
            .AllowAnonymous()
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .WithTags("Development")
            .WithSummary(
                "Development only: issue a token for any user and roles "
                + "(officer, supervisor, funder, auditor, admin).");
        return app;
    }

    private static Results<Ok<DevTokenResponse>, ProblemHttpResult> Issue(
        DevTokenRequest request,
        SigningKeys keys,
        Issuer issuer,
        AuthOptions auth,
        IOptions<IdentityServiceOptions> options,
        TimeProvider clock)
    {
        var unknown = request.Roles!.Where(r => !Roles.All.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            return Problems.Unprocessable(
                new Dictionary<string, string[]>
                {
                    ["roles"] = [$"Unknown role(s). Use: {string.Join(", ", Roles.All)}."],
                },
                "The token cannot be issued.");
        }

        var organisation = request.Organisation ?? DevelopmentOrganisation;
        var now = clock.GetUtcNow();
        var expires = now.Add(options.Value.DevTokenLifetime);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.Uri.AbsoluteUri,
            Audience = auth.Audience,
            TokenType = "at+jwt",
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.Current,
            Claims = new Dictionary<string, object>
            {
                // User names are case-insensitive, as in the identity store: "Olivia" and "olivia" are one user.
                [AuthenticationSetup.UserIdClaim] = request.User!.Trim().ToLowerInvariant(),
                [AuthenticationSetup.RoleClaim] = request.Roles!.Distinct().ToArray(),
                [AuthenticationSetup.OrganisationClaim] = organisation,
                [OrganisationRule.AuditsClaim] = (request.Audits ?? [organisation]).Distinct().ToArray(),
            },
        });
        return TypedResults.Ok(new DevTokenResponse(token, "Bearer", expires));
    }
}
