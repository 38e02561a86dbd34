using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Gateway;

public sealed record DevTokenRequest
{
    [Required]
    [StringLength(100, MinimumLength = 1)]
    public string? User { get; init; }

    [Required]
    [MinLength(1)]
    public List<string>? Roles { get; init; }
}

public sealed record DevTokenResponse(string Token, string TokenType, DateTimeOffset ExpiresAt);

/// <summary><c>POST /auth/dev-token</c>: a signed token for any user and roles. Mapped only in Development.</summary>
public static class DevTokens
{
    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/dev-token", Issue)
            .AllowAnonymous()
            .WithTags("Development")
            .WithSummary("Development only: issue a token for any user and roles (officer, supervisor, funder, auditor, admin).");
        return app;
    }

    private static Results<Ok<DevTokenResponse>, ProblemHttpResult> Issue(
        DevTokenRequest request, DevTokenIssuer issuer, AuthOptions options, TimeProvider clock)
    {
        var unknown = request.Roles!.Where(r => !Roles.All.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            return Problems.Unprocessable(
                new Dictionary<string, string[]> { ["roles"] = [$"Unknown role(s): {string.Join(", ", unknown)}. Use: {string.Join(", ", Roles.All)}."] },
                "The token cannot be issued.");
        }

        return TypedResults.Ok(new DevTokenResponse(
            issuer.Issue(request.User!, request.Roles!),
            "Bearer",
            clock.GetUtcNow().Add(options.DevTokenLifetime)));
    }
}
