using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Protection.ServiceDefaults.Auth;

namespace Protection.Gateway;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests a user may make in a burst.</summary>
    public int TokenLimit { get; set; } = 200;

    /// <summary>Requests a user regains per second.</summary>
    public int TokensPerSecond { get; set; } = 100;
}

/// <summary>
/// A token bucket per user (per client address before sign-in), applied to every proxied route. The
/// user is the validated token's issuer and subject: never a name the caller typed.
/// </summary>
public static class RateLimiting
{
    public const string PerUser = "per-user";

    public static IServiceCollection AddPerUserRateLimiting(
        this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteRejectionAsync;
            limiter.AddPolicy(PerUser, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.Identity?.IsAuthenticated == true
                    ? $"user:{http.User.FindFirst("iss")?.Value}|{http.User.UserId()}"
                    : $"ip:{http.Connection.RemoteIpAddress}",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TokenLimit,
                    TokensPerPeriod = options.TokensPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    /// <summary>
    /// 429 with <c>Retry-After</c> (whole seconds, at least 1: when the bucket has a token again) and a
    /// problem saying so, so that clients back off for as long as they must instead of retrying at once.
    /// </summary>
    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? retryAfter
            : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = $"Too many requests. Try again in {seconds} s.",
            },
        });
    }
}
