using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Protection.Console.Api;
using Protection.Console.Session;
using Protection.ServiceDefaults.Auth;

namespace Protection.Console;

public static class ConsoleModule
{
    public const string ServiceName = "console";

    public static readonly CultureInfo[] Cultures = [new("en"), new("es"), new("fr"), new("ar")];

    /// <summary>
    /// Sign-in with the OpenID Connect code flow + PKCE against the authority every process trusts;
    /// the session (and its tokens) kept on the server; the API called through the gateway with the
    /// person's own token; four languages.
    /// </summary>
    public static WebApplicationBuilder AddProtectionConsole(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section);
        var console = builder.Configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<TokenRefresh>();
        builder.Services.AddHttpClient(nameof(TokenRefresh));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient<ProtectionApi>(client => client.BaseAddress = console.Api);
        builder.Services.AddScoped<OrganisationDirectory>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultAuthenticateScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TicketStore, TokenRefresh>((cookie, store, refresh) =>
            {
                cookie.Cookie.Name = "protection.console";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
                    ? CookieSecurePolicy.SameAsRequest
                    : CookieSecurePolicy.Always;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.SessionStore = store;
                cookie.Events.OnValidatePrincipal = refresh.ValidateAsync;
            });
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<AuthOptions>((oidc, auth) =>
            {
                ConfigureOpenIdConnect(oidc, auth, console);
                // The code comes back on a top-level GET: Lax is enough for the correlation and nonce cookies.
                var secure = builder.Environment.IsDevelopment()
                    ? CookieSecurePolicy.SameAsRequest
                    : CookieSecurePolicy.Always;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = secure;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = secure;
            });
        builder.Services.AddAuthentication().AddOpenIdConnect();

        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            options.RequestCultureProviders =
                [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
            forwarded.ForwardedHeaders =
                ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);

        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, AuthOptions auth, ConsoleOptions console)
    {
        oidc.Authority = auth.Authority;
        oidc.MetadataAddress = auth.MetadataAddress;
        oidc.RequireHttpsMetadata = auth.RequireHttpsMetadata ?? true;
        oidc.ClientId = console.ClientId;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back on a redirect (GET), not through an auto-submitted form: no script on the way.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.SaveTokens = true;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "offline_access", "protection-api" })
        {
            oidc.Scope.Add(scope);
        }

        oidc.TokenValidationParameters.NameClaimType = "preferred_username";
        oidc.TokenValidationParameters.RoleClaimType = AuthenticationSetup.RoleClaim;
        oidc.SignedOutRedirectUri = "/";
        oidc.Events.OnRedirectToIdentityProvider = context =>
        {
            context.ProtocolMessage.IssuerAddress = PublicAddress(context.ProtocolMessage.IssuerAddress, auth);
            return Task.CompletedTask;
        };
        oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            context.ProtocolMessage.IssuerAddress = PublicAddress(context.ProtocolMessage.IssuerAddress, auth);
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// The browser is sent to the authority's public address, though the discovery document, read from
    /// the internal address, names internal endpoints (the bundled identity service names the host it
    /// was asked on).
    /// </summary>
    public static string PublicAddress(string endpoint, AuthOptions auth) =>
        auth.InternalBase() is { } internalBase && auth.Authority is not null
            ? AuthOptions.Rebase(endpoint, internalBase, auth.Authority)
            : endpoint;

    /// <summary>
    /// Forwarded headers (behind the gateway), security headers, languages, static files; before the service
    /// defaults (authentication).
    /// </summary>
    public static WebApplication UseProtectionConsole(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use(async (http, next) =>
        {
            // Every console page may carry personal data: never stored by the browser or a proxy.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                if (!IsAsset(http.Request.Path))
                {
                    headers.CacheControl = "no-store";
                }

                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
                    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; " +
                    "object-src 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            await next(http);
        });
        app.UseRequestLocalization();

        return app;
    }

    /// <summary>Scripts and styles carry no personal data: they keep the caching MapStaticAssets gives them.</summary>
    private static bool IsAsset(PathString path) =>
        path.Value is { } value
        && (value.EndsWith(".js", StringComparison.Ordinal)
            || value.EndsWith(".css", StringComparison.Ordinal)
            || value.EndsWith(".js.map", StringComparison.Ordinal));

    /// <summary>
    /// Anti-forgery (after authentication: tokens are bound to the signed-in person), the language switcher
    /// and sign-out.
    /// </summary>
    public static WebApplication MapConsoleEndpoints(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets(); // fingerprinted, pre-compressed (gzip) framework and console assets

        // The language switcher: a form that posts here (no JavaScript), remembered in a cookie.
        app.MapPost("/language", (HttpContext http, [FromForm] string culture, [FromForm] string? returnUrl) =>
        {
            if (Cultures.Any(c => c.Name == culture))
            {
                http.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Lax,
                        Secure = http.Request.IsHttps,
                        MaxAge = TimeSpan.FromDays(365),
                    });
            }

            return Results.LocalRedirect(
                returnUrl is { Length: > 0 }
                && returnUrl.StartsWith('/')
                && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                    ? returnUrl
                    : "/");
        });
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.SignOut(
                new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        }).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
