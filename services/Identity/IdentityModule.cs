using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Protection.Identity.Accounts;
using Protection.Identity.Admin;
using Protection.Identity.Server;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Secrets;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Protection.Identity;

public static class IdentityModule
{
    public const string ServiceName = "identity";
    public const string SignInPolicy = "sign-in";

    /// <summary>
    /// ASP.NET Core Identity (accounts, passwords, lockout, TOTP, recovery codes) and OpenIddict's
    /// server (code flow + PKCE, refresh tokens with rotation, client credentials) on the service's
    /// own database, and the hash-chained log of administrative actions.
    /// </summary>
    public static WebApplicationBuilder AddIdentityService(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(IdentityServiceOptions.Section).Get<IdentityServiceOptions>()
            ?? new();
        builder.Services.AddOptions<IdentityServiceOptions>().BindConfiguration(IdentityServiceOptions.Section);
        // The data annotations of the request bodies (lengths, patterns) are checked before a handler runs:
        // without it a 100 000-character organisation name reached the database (a 500).
        builder.Services.AddValidation();
        var issuer = new Uri(BuildIssuer(builder.Configuration));
        builder.Services.AddSingleton(new Issuer(issuer));

        var guard = SecretGuard.For(builder);
        foreach (var (clientId, client) in options.Clients.Where(c => c.Value.IsConfidential))
        {
            guard.Require($"{IdentityServiceOptions.Section}:Clients:{clientId}:ClientSecret", SecretKind.Text, 32,
                "Generate one with: openssl rand -base64 32");
        }

        guard.RequirePostgresPassword("Postgres");
        var keys = SigningKeys.Load(options, guard); // throws, naming every weak secret, outside Development
        builder.Services.AddSingleton(keys);
        Validate(options);

        var connectionString = builder.Configuration.GetConnectionString("Postgres")!;
        builder.Services.AddDbContext<IdentityDb>(db => db.UseNpgsql(connectionString).UseOpenIddict());
        builder.AddEventLog("identity_log", store =>
        {
            store.Events.AddEventType<OrganisationCreated>();
            store.Events.AddEventType<AuditedOrganisationsSet>();
            store.Events.AddEventType<AccountCreated>();
            store.Events.AddEventType<AccountEnrolled>();
            store.Events.AddEventType<RoleGranted>();
            store.Events.AddEventType<RoleRevoked>();
            store.Events.AddEventType<SecondFactorReset>();
            store.Events.AddEventType<AccountDeactivated>();
        });

        builder.Services.AddDataProtection()
            .SetApplicationName("protection-identity")
            .PersistKeysToDbContext<IdentityDb>();
        AddAccounts(builder);
        AddOpenIddict(builder, options, issuer, keys);
        AddSignInLimits(builder, options);

        builder.Services.AddLocalization();
        builder.Services.AddRazorPages();
        builder.Services.Configure<RequestLocalizationOptions>(localization =>
        {
            // The same languages and the same cookie as the console (one origin): a person who chose
            // Arabic there signs in in Arabic.
            string[] cultures = ["en", "es", "fr", "ar"];
            localization.SetDefaultCulture("en").AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
            localization.RequestCultureProviders =
            [
                new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider(),
                new Microsoft.AspNetCore.Localization.AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        builder.Services.AddScoped<AdminLog>();
        builder.Services.AddScoped<Enrolment>();
        builder.Services.AddScoped<Credentials>();
        builder.Services.AddSingleton<AttemptsPerAccount>();
        // Right after the database exists and before anything reads it (data protection loads its
        // key ring from the database at start-up).
        var first = builder.Services.ToList().FindIndex(d => d.ImplementationInstance is DatabaseBootstrap);
        builder.Services.Insert(first + 1, ServiceDescriptor.Singleton<IHostedService, IdentityStartup>());
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders =
                ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            if (options.TrustForwardedHeaders)
            {
                forwarded.KnownIPNetworks.Clear();
                forwarded.KnownProxies.Clear();
            }
        });
        return builder;
    }

    /// <summary>
    /// The issuer is the public address of the authority the other processes validate against
    /// (<c>Auth:Authority</c>).
    /// </summary>
    private static string BuildIssuer(IConfiguration configuration)
    {
        var authority = configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.Authority)}"];
        return string.IsNullOrWhiteSpace(authority) ? AuthOptions.DevelopmentAuthority : authority.TrimEnd('/') + "/";
    }

    private static void AddAccounts(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddIdentityCookies();
        builder.Services
            .AddIdentityCore<Account>(identity =>
            {
                // NIST SP 800-63B: length over composition rules.
                identity.Password.RequiredLength = 12;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 4;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = true;
                identity.SignIn.RequireConfirmedAccount = false;
                identity.ClaimsIdentity.UserIdClaimType = Claims.Subject;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.Configure<DataProtectionTokenProviderOptions>(o =>
            o.TokenLifespan = builder.Configuration.GetValue(
                $"{IdentityServiceOptions.Section}:EnrolmentLinkLifetime", TimeSpan.FromDays(3)));
        // A deactivated account's sign-in cookie stops working within a minute.
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "protection.identity";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
                ? CookieSecurePolicy.SameAsRequest
                : CookieSecurePolicy.Always;
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = false;
        });
    }

    private static void AddOpenIddict(
        WebApplicationBuilder builder, IdentityServiceOptions options, Uri issuer, SigningKeys keys)
    {
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDb>())
            .AddServer(server =>
            {
                server.SetIssuer(issuer);
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/logout")
                    .SetRevocationEndpointUris("connect/revoke");
                // PKCE with S256 only: the "plain" method protects nothing against an intercepted code.
                server.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, ApiScopes.Api);
                server.SetAccessTokenLifetime(options.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(options.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(options.RefreshTokenLifetime)
                    .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2))
                    // Strict rotation: a refresh token used twice is theft or a replay, and OpenIddict then
                    // revokes the whole family.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                server.AddSigningCredentials(keys.Current);
                foreach (var previous in keys.Previous)
                {
                    server.AddSigningKey(previous);
                }

                server.AddEncryptionKey(keys.Encryption);
                // Access tokens are signed JWTs any resource server (and any standard library) validates from the JWKS.
                server.DisableAccessTokenEncryption();
                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (issuer.Scheme != Uri.UriSchemeHttps)
                {
                    // Development only: Validate() refuses a plain-HTTP issuer elsewhere.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
    }

    private static void AddSignInLimits(WebApplicationBuilder builder, IdentityServiceOptions options) =>
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress ?? IPAddress.None,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.SignInAttemptsPerAddressPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });

    private static void Validate(IdentityServiceOptions options)
    {
        if (options.AccessTokenLifetime <= TimeSpan.Zero
            || options.AccessTokenLifetime > IdentityServiceOptions.LongestAccessToken)
        {
            throw new InvalidOperationException(
                "Identity:AccessTokenLifetime must be more than 0 and at most "
                + $"{IdentityServiceOptions.LongestAccessToken}; it is {options.AccessTokenLifetime}.");
        }

        foreach (var (clientId, client) in options.Clients)
        {
            if (client.UnknownRoles.Any())
            {
                throw new InvalidOperationException(
                    $"Identity:Clients:{clientId}:Roles names unknown roles "
                    + $"({string.Join(", ", client.UnknownRoles)}); use {string.Join(", ", Roles.All)}.");
            }

            if (!client.IsConfidential && client.RedirectUris.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Identity:Clients:{clientId} is a public client without RedirectUris; "
                    + "a public client signs people in and needs one.");
            }
        }
    }

    public static WebApplication UseIdentityService(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseRequestLocalization();
        return app;
    }
}
