using Protection.ServiceDefaults.Auth;

namespace Protection.Identity;

/// <summary>The identity service's settings (section <c>Identity</c>).</summary>
public sealed class IdentityServiceOptions
{
    public const string Section = "Identity";

    /// <summary>The longest an access token may live: a deactivated user keeps access at most this long.</summary>
    public static readonly TimeSpan LongestAccessToken = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The signing key, PEM (RSA ≥ 2048 bits or EC P-256+): <c>openssl genpkey -algorithm RSA -pkeyopt
    /// rsa_keygen_bits:3072</c>. Required outside Development, where a published development key pair is used.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Keys signed with before a rollover, still published in the key set until the tokens they signed have
    /// expired.
    /// </summary>
    public List<string> PreviousSigningKeys { get; set; } = [];

    /// <summary>
    /// Base64 of 32 random bytes: encrypts authorization codes and refresh tokens. Required outside Development.
    /// </summary>
    public string? EncryptionKey { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = LongestAccessToken;

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a one-time enrolment link (new account, second factor reset) stays usable.</summary>
    public TimeSpan EnrolmentLinkLifetime { get; set; } = TimeSpan.FromDays(3);

    public int SignInAttemptsPerAddressPerMinute { get; set; } = 30;

    public int SignInAttemptsPerAccountPerMinute { get; set; } = 10;

    /// <summary>Lifetime of <c>POST /auth/dev-token</c> tokens (Development only).</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Trust <c>X-Forwarded-*</c> from any address (the service is reachable only through the gateway,
    /// as in the Kubernetes manifests); otherwise only from loopback.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>OpenID Connect clients by client id.</summary>
    public Dictionary<string, ClientOptions> Clients { get; set; } = [];
}

/// <summary>
/// A registered client: the console (authorization code + PKCE) or a machine client (client credentials).
/// </summary>
public sealed class ClientOptions
{
    public string? DisplayName { get; set; }

    /// <summary>
    /// <c>public</c> (a browser or native app: PKCE, no secret) or <c>confidential</c> (has a secret).
    /// </summary>
    public string Type { get; set; } = "public";

    /// <summary>
    /// Confidential clients only; outside Development at least 32 characters and not published in the source.
    /// </summary>
    public string? ClientSecret { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>Confidential clients: the roles the client itself acts with (client credentials).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Confidential clients: the organisation the client acts for (its <c>org</c> claim).</summary>
    public string? Organisation { get; set; }

    public bool IsConfidential => string.Equals(Type, "confidential", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> UnknownRoles => Roles.Where(r => !ServiceDefaults.Auth.Roles.All.Contains(r));
}

public static class ApiScopes
{
    /// <summary>
    /// The scope a client asks for to call the Protection API; tokens for it name
    /// <see cref="AuthOptions.Audience"/>.
    /// </summary>
    public const string Api = "protection-api";
}
