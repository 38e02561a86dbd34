using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using OtpNet;

namespace Protection.EndToEndTests;

/// <summary>Tokens from the token endpoint.</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, string? IdentityToken, int ExpiresIn)
{
    public JsonElement AccessClaims => Jwt.Payload(AccessToken);
}

/// <summary>
/// A person with a browser, going through the gateway as a browser would: cookies kept, redirects read
/// one at a time, forms filled in with their anti-forgery field. Drives enrolment, sign-in and the
/// authorization code flow with PKCE exactly as the console will.
/// </summary>
public sealed partial class Browser(ProtectionSystem system) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        CookieContainer = new CookieContainer(),
        UseCookies = true,
    })
    {
        BaseAddress = system.Issuer,
    };

    public HttpClient Http => _http;

    /// <summary>
    /// Opens a one-time enrolment link, chooses the password, registers the authenticator; returns its secret and
    /// the recovery codes.
    /// </summary>
    public async Task<(string AuthenticatorKey, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(
        Uri link,
        string password)
    {
        var page = await _http.GetAsync(link.PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var key = KeyAttribute().Match(html).Groups[1].Value;
        key.ShouldNotBeNullOrEmpty();

        var form = Form(html, new()
        {
            ["Password"] = password,
            ["ConfirmPassword"] = password,
            ["Code"] = Totp(key),
        });
        var done = await _http.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(form));
        var result = await done.Content.ReadAsStringAsync();
        done.StatusCode.ShouldBe(HttpStatusCode.OK, result);
        var codes = RecoveryCode().Matches(result).Select(m => m.Groups[1].Value).ToArray();
        codes.Length.ShouldBe(10, result);
        return (key, codes);
    }

    /// <summary>Posts the sign-in form; returns the answer (a redirect when it worked).</summary>
    public async Task<HttpResponseMessage> SignInAsync(
        string name,
        string password,
        string code,
        string? returnUrl = null)
    {
        var path = returnUrl is null ? "/account/login" : $"/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await _http.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var form = Form(html, new() { ["Name"] = name, ["Password"] = password, ["Code"] = code });
        return await _http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>The authorization code flow with PKCE (S256), signing in on the way; returns the tokens.</summary>
    public async Task<TokenSet> CodeFlowAsync(string name, string password, string authenticatorKey)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var state = Guid.NewGuid().ToString("N");
        var authorize = "/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ProtectionSystem.TestClient,
            ["redirect_uri"] = system.RedirectUri.AbsoluteUri,
            ["response_type"] = "code",
            ["scope"] = "openid offline_access protection-api",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = state,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        var toSignIn = await _http.GetAsync(authorize);
        toSignIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await toSignIn.Content.ReadAsStringAsync());
        var login = toSignIn.Headers.Location!;
        login.OriginalString.ShouldContain("/account/login");
        var returnUrl = Uri.UnescapeDataString(Regex.Match(login.OriginalString, "ReturnUrl=([^&]+)").Groups[1].Value);

        var signedIn = await SignInAsync(name, password, Totp(authenticatorKey), returnUrl);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());

        var back = await _http.GetAsync(signedIn.Headers.Location!.OriginalString);
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect, await back.Content.ReadAsStringAsync());
        var callback = back.Headers.Location!;
        callback.GetLeftPart(UriPartial.Path).ShouldBe(system.RedirectUri.AbsoluteUri);
        Query(callback, "state").ShouldBe(state);

        var tokens = await _http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ProtectionSystem.TestClient,
            ["code"] = Query(callback, "code")!,
            ["redirect_uri"] = system.RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        }));
        return await ReadTokensAsync(tokens);
    }

    /// <summary>
    /// Exchanges a refresh token; the answer as it came (the tokens on 200, an OAuth error otherwise).
    /// </summary>
    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ProtectionSystem.TestClient,
            ["refresh_token"] = refreshToken,
        }));

    public static async Task<TokenSet> ReadTokensAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new TokenSet(
            root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            root.TryGetProperty("id_token", out var id) ? id.GetString() : null,
            root.GetProperty("expires_in").GetInt32());
    }

    /// <summary>A client of the API through the gateway, with a bearer token.</summary>
    public HttpClient Api(string accessToken)
    {
        var client = new HttpClient { BaseAddress = system.Issuer };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>
    /// The current code of an authenticator holding <paramref name="key"/> (base32), as a phone would show it.
    /// </summary>
    public static string Totp(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    public static string? Query(Uri uri, string name) =>
        Regex.Match(uri.Query, $"[?&]{name}=([^&]*)") is { Success: true } m
            ? Uri.UnescapeDataString(m.Groups[1].Value)
            : null;

    /// <summary>The form's hidden fields (anti-forgery included) with <paramref name="values"/> filled in.</summary>
    private static Dictionary<string, string> Form(string html, Dictionary<string, string> values)
    {
        var fields = InputTag().Matches(html).Select(m => m.Value)
            .Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .ToDictionary(
                tag => WebUtility.HtmlDecode(Attribute(tag, "name")),
                tag => WebUtility.HtmlDecode(Attribute(tag, "value")));
        fields.ShouldContainKey("__RequestVerificationToken");
        foreach (var (key, value) in values)
        {
            fields[key] = value;
        }

        return fields;
    }

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"").Groups[1].Value;

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("data-key=\"([A-Z2-7]+)\"")]
    private static partial Regex KeyAttribute();

    [GeneratedRegex("<code class=\"recovery-code\">([^<]+)</code>")]
    private static partial Regex RecoveryCode();

    public void Dispose() => _http.Dispose();
}

/// <summary>Reads a JWT's parts without validating it (the services do that).</summary>
public static class Jwt
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[index])).RootElement.Clone();
}
