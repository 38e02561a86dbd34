using System.ComponentModel.DataAnnotations;

namespace Protection.ServiceDefaults.Auth;

/// <summary>JWT settings shared by the gateway and every service (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Used only when the environment is Development and no key is configured. Anything else
    /// refuses to start without <c>Auth:SigningKey</c>, so this key can never protect real data.
    /// </summary>
    internal const string DevelopmentSigningKey = "protection-development-signing-key-not-for-production-use";

    [Required]
    public string Issuer { get; set; } = "protection";

    [Required]
    public string Audience { get; set; } = "protection-api";

    /// <summary>HMAC-SHA256 key, at least 32 characters.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Lifetime of tokens issued by the development token endpoint.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
