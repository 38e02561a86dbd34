using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Protection.Console.Session;

/// <summary>
/// Keeps a session's access token fresh: a minute before it expires, the refresh token is exchanged
/// for new ones. The identity service rotates refresh tokens strictly (a spent one revokes the
/// family), so two requests of one session never refresh at once: the second waits and takes the
/// tokens the first one got. A refused refresh (deactivated account, revoked tokens) ends the session.
/// </summary>
public sealed partial class TokenRefresh(
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    IOptions<ConsoleOptions> console,
    IHttpClientFactory http,
    TimeProvider clock,
    ILogger<TokenRefresh> logger)
{
    private static readonly TimeSpan Ahead = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, Tokens> _rotated = new();

    private sealed record Tokens(string Access, string Refresh, string ExpiresAt, DateTimeOffset RotatedAt);

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (expiresAt is null || refreshToken is null ||
            DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture) - clock.GetUtcNow() > Ahead)
        {
            return;
        }

        var gate = _locks.GetOrAdd(refreshToken, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(context.HttpContext.RequestAborted);
        try
        {
            var tokens = _rotated.TryGetValue(refreshToken, out var done)
                ? done
                : await RefreshAsync(refreshToken, context.HttpContext.RequestAborted);
            if (tokens is null)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return;
            }

            _rotated[refreshToken] = tokens;
            context.Properties.UpdateTokenValue("access_token", tokens.Access);
            context.Properties.UpdateTokenValue("refresh_token", tokens.Refresh);
            context.Properties.UpdateTokenValue("expires_at", tokens.ExpiresAt);
            context.ShouldRenew = true;
        }
        finally
        {
            gate.Release();
            Forget();
        }
    }

    private async Task<Tokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        using var client = http.CreateClient(nameof(TokenRefresh));
        using var response = await client.PostAsync(
            configuration.TokenEndpoint,
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = console.Value.ClientId,
                ["refresh_token"] = refreshToken,
            }),
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused(logger, (int)response.StatusCode);
            return null;
        }

        using var json = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        var expires = clock.GetUtcNow().AddSeconds(root.GetProperty("expires_in").GetInt32());
        return new Tokens(
            root.GetProperty("access_token").GetString()!,
            root.GetProperty("refresh_token").GetString()!,
            expires.ToString("o", CultureInfo.InvariantCulture),
            clock.GetUtcNow());
    }

    /// <summary>
    /// Rotations are remembered for two minutes: long enough for requests that started with the old token.
    /// </summary>
    private void Forget()
    {
        var before = clock.GetUtcNow().AddMinutes(-2);
        foreach (var (key, tokens) in _rotated)
        {
            if (tokens.RotatedAt < before && _rotated.TryRemove(key, out _))
            {
                _locks.TryRemove(key, out _);
            }
        }
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "A session's refresh was refused ({Status}); it ends and the person signs in again")]
    private static partial void LogRefused(ILogger logger, int status);
}
