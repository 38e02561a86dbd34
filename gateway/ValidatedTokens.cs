using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Protection.Gateway;

/// <summary>
/// The gateway checks every bearer token (signature, issuer, audience, lifetime) before it proxies or
/// rate-limits, and a client sends the same token with each of its requests. Checking it again each
/// time was a tenth of the gateway's CPU per proxied request (an RSA verification, the token parsed,
/// its claims built). A token that passed is remembered, by its exact text, for at most
/// <see cref="MaxAge"/> and never past its expiry: a changed byte is another token, checked in full;
/// a failed token is never remembered. What the cache gives up is only this: a token whose signing
/// key the authority withdraws stays accepted here for up to <see cref="MaxAge"/> (the key set itself
/// is read again at most every 30 s); each service validates the token again on its own.
/// </summary>
public sealed class ValidatedTokens : IDisposable
{
    /// <summary>How long a validated token is remembered at most.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    /// <summary>Tokens remembered at most (a few kilobytes each); the least recently used go first.</summary>
    public const int Capacity = 4096;

    private readonly MemoryCache _tokens = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly TimeProvider _time = TimeProvider.System;

    public bool TryGet(string token, out ClaimsPrincipal principal)
    {
        if (_tokens.TryGetValue(token, out Entry? entry) && entry!.Expires > _time.GetUtcNow())
        {
            // A copy: the request may add to its principal; the remembered one stays as validated.
            principal = entry.Principal.Clone();
            return true;
        }

        principal = null!;
        return false;
    }

    public void Remember(string token, ClaimsPrincipal principal, DateTime validTo)
    {
        var expires = Min(new DateTimeOffset(validTo, TimeSpan.Zero), _time.GetUtcNow() + MaxAge);
        _tokens.Set(token, new Entry(principal.Clone(), expires), new MemoryCacheEntryOptions
        {
            AbsoluteExpiration = expires,
            Size = 1,
        });
    }

    public void Dispose() => _tokens.Dispose();

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Expires);
}

public static class ValidatedTokensSetup
{
    private const string Bearer = "Bearer ";

    /// <summary>
    /// Wraps the JWT bearer events: a remembered token is accepted before it is read again; a token
    /// that passes validation (after the shared claim mapping) is remembered.
    /// </summary>
    public static IServiceCollection AddValidatedTokenCache(this IServiceCollection services)
    {
        services.AddSingleton<ValidatedTokens>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<ValidatedTokens>((jwt, tokens) =>
            {
                var events = jwt.Events ?? new JwtBearerEvents();
                var messageReceived = events.OnMessageReceived;
                var tokenValidated = events.OnTokenValidated;
                events.OnMessageReceived = async context =>
                {
                    await messageReceived(context);
                    if (context.Result is null
                        && (context.Token ?? BearerToken(context.Request)) is { Length: > 0 } token
                        && tokens.TryGet(token, out var principal))
                    {
                        context.Principal = principal;
                        context.Success();
                    }
                };
                events.OnTokenValidated = async context =>
                {
                    await tokenValidated(context);
                    if (context.Result is null
                        && context.Principal is { } principal
                        && context.SecurityToken is JsonWebToken { EncodedToken: { Length: > 0 } token } validated)
                    {
                        tokens.Remember(token, principal, validated.ValidTo);
                    }
                };
                jwt.Events = events;
            });
        return services;
    }

    /// <summary>The token as the JWT bearer handler reads it: after "Bearer " (any case), trimmed.</summary>
    private static string? BearerToken(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : null;
    }
}
