namespace Protection.ServiceDefaults.Auth;

/// <summary>
/// Token validation shared by the gateway and every service (section <c>Auth</c>): tokens come from
/// an OpenID Connect authority (the bundled identity service, Keycloak, Microsoft Entra ID, …) and
/// are checked against the signing keys it publishes (its JWKS).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// The bundled identity service behind the local gateway: the authority in Development when none is set.
    /// </summary>
    public const string DevelopmentAuthority = "http://localhost:8080/";

    /// <summary>
    /// The issuer, exactly as it writes <c>iss</c> (e.g. <c>https://protection.example.org/</c>). Required
    /// outside Development.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Where to read the discovery document when the issuer's public address cannot be reached from
    /// here (inside a cluster: <c>http://identity:8080/.well-known/openid-configuration</c>). The key
    /// set is then read from the same place.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The audience every token must name.</summary>
    public string Audience { get; set; } = "protection-api";

    /// <summary>
    /// Plain-HTTP metadata is accepted only in Development unless this is set to false (e.g. a
    /// cluster-internal address).
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Asymmetric algorithms only: a symmetric or <c>none</c> token is refused whatever it claims.</summary>
    public string[] Algorithms { get; set; } =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>Tolerated difference between clocks when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the provider writes roles and the organisation (see <see cref="ClaimMapping"/>).</summary>
    public ClaimMapping Claims { get; set; } = new();

    /// <summary>
    /// The internal base address discovery is read from (before <c>/.well-known/</c>), when one is set.
    /// </summary>
    public string? InternalBase()
    {
        if (MetadataAddress is null)
        {
            return null;
        }

        var wellKnown = MetadataAddress.IndexOf("/.well-known/", StringComparison.Ordinal);
        return wellKnown >= 0
            ? MetadataAddress[..wellKnown]
            : new Uri(MetadataAddress).GetLeftPart(UriPartial.Authority);
    }

    /// <summary>
    /// <paramref name="address"/> under <paramref name="to"/> when it lies under <paramref name="from"/>;
    /// otherwise unchanged.
    /// </summary>
    public static string Rebase(string address, string from, string to)
    {
        from = from.TrimEnd('/');
        return address.StartsWith(from, StringComparison.OrdinalIgnoreCase)
            ? to.TrimEnd('/') + address[from.Length..]
            : address;
    }
}

/// <summary>
/// Paths into the token's payload: a claim name, or a dotted path into a JSON claim, e.g.
/// <c>realm_access.roles</c> (Keycloak) or <c>roles</c> (Microsoft Entra ID app roles).
/// </summary>
public sealed class ClaimMapping
{
    public string Roles { get; set; } = AuthenticationSetup.RoleClaim;

    public string Organisation { get; set; } = AuthenticationSetup.OrganisationClaim;

    /// <summary>The organisations an auditor's audit body may audit (multi-valued).</summary>
    public string AuditedOrganisations { get; set; } = OrganisationRule.AuditsClaim;
}
