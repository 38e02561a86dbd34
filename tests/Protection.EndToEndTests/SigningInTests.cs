using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// Signing in for real, through the gateway: the first administrator bootstrapped from the command
/// line, organisations and accounts created by the admin API, TOTP enrolment by one-time link, the
/// authorization code flow with PKCE, refresh with rotation, deactivation.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SigningInTests(ProtectionSystem system)
{
    private const string Password = Administration.Password;

    [Fact]
    public async Task An_officer_enrolled_by_an_administrator_signs_in_with_a_second_factor_and_opens_a_case()
    {
        var admin = await Administration.AdministratorAsync(system);

        // The administrator creates a protection organisation and an officer in it.
        var organisation = await Administration.CreateOrganisationAsync(admin, "protection");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var officer = await Administration.Json(await Administration.CreateAccountAsync(admin, $"officer-{tag}",
            organisation, "officer"), HttpStatusCode.Created);
        var officerId = officer["user"]!["id"]!.GetValue<string>();
        officer["user"]!["enrolled"]!.GetValue<bool>().ShouldBeFalse();

        // The officer enrols (password + authenticator) through the one-time link, then signs in.
        using var browser = new Browser(system);
        var link = new Uri(officer["enrolment"]!["enrolmentLink"]!.GetValue<string>());
        var (key, _) = await browser.EnrolAsync(link, Password);
        (await browser.Http.GetAsync(link.PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.BadRequest); // used once

        var tokens = await browser.CodeFlowAsync($"officer-{tag}", Password, key);

        // The access token: RS256 with a key the JWKS publishes, for the API, with sub, org and role.
        Jwt.Header(tokens.AccessToken).GetProperty("alg").GetString().ShouldBe("RS256");
        var kid = Jwt.Header(tokens.AccessToken).GetProperty("kid").GetString();
        var jwks = await system.Gateway.GetStringAsync("/.well-known/jwks");
        jwks.ShouldContain($"\"{kid}\"");
        var claims = tokens.AccessClaims;
        claims.GetProperty("sub").GetString().ShouldBe(officerId);
        claims.GetProperty("org").GetString().ShouldBe(organisation);
        Roles(claims).ShouldBe(["officer"]);
        claims.GetProperty("aud").ToString().ShouldContain("protection-api");
        claims.GetProperty("iss").GetString().ShouldBe(system.Issuer.AbsoluteUri);
        (claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64()).ShouldBeLessThanOrEqualTo(600);
        tokens.RefreshToken.ShouldNotBeNull();

        using var api = browser.Api(tokens.AccessToken);
        var opened = await api.PostAsJsonAsync("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()));
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_a_spent_one_used_again_revokes_the_whole_family()
    {
        var admin = await Administration.AdministratorAsync(system);
        var officer = await Administration.EnrolledAsync(system, admin,
            await Administration.CreateOrganisationAsync(admin, "protection"), "officer");
        using var browser = new Browser(system);
        var tokens = await browser.CodeFlowAsync(officer.Name, Password, officer.Key);

        // Each use gives a new refresh token. Using a spent one again is a replay: it is refused, and the
        // whole family (the newer token too) is revoked.
        var refreshed = await Browser.ReadTokensAsync(await browser.RefreshAsync(tokens.RefreshToken!));
        refreshed.RefreshToken.ShouldNotBe(tokens.RefreshToken);
        (await browser.RefreshAsync(tokens.RefreshToken!)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await browser.RefreshAsync(refreshed.RefreshToken!)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_deactivated_officer_can_neither_refresh_nor_sign_in_and_their_access_token_ends_at_its_expiry()
    {
        var admin = await Administration.AdministratorAsync(system);
        var officer = await Administration.EnrolledAsync(system, admin,
            await Administration.CreateOrganisationAsync(admin, "protection"), "officer");

        // Signed in, refreshing works until the account is deactivated.
        using var browser = new Browser(system);
        var refreshed = await browser.CodeFlowAsync(officer.Name, Password, officer.Key);
        refreshed = await Browser.ReadTokensAsync(await browser.RefreshAsync(refreshed.RefreshToken!));

        // Deactivated: the refresh fails at once.
        (await admin.PostAsync($"/api/admin/users/{officer.Id}/deactivation", null))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusal = await browser.RefreshAsync(refreshed.RefreshToken!);
        refusal.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refusal.Content.ReadAsStringAsync()).ShouldContain("invalid_grant");

        // The access token already issued works until it expires, then 401. Tokens are checked against
        // real time (no test clock reaches authentication), so this waits for the expiry: on the first
        // 401 itself, every answer before it a 200.
        using var stillValid = browser.Api(refreshed.AccessToken);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(refreshed.AccessClaims.GetProperty("exp").GetInt64());
        var refusedAt = await Eventually.Get(async () =>
        {
            var status = (await stillValid.GetAsync("/api/cases")).StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                return new StrongBox<DateTimeOffset>(DateTimeOffset.UtcNow);
            }

            status.ShouldBe(HttpStatusCode.OK, "the access token is honoured until it expires");
            return null;
        }, expiry - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10), "the access token to expire",
            every: TimeSpan.FromMilliseconds(500));
        refusedAt.Value.ShouldBeGreaterThanOrEqualTo(expiry);

        // And no new sign-in either.
        using var again = new Browser(system);
        (await again.SignInAsync(officer.Name, Password, Browser.Totp(officer.Key)))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Administrative_actions_are_in_a_hash_chained_log_auditors_verify_without_names_or_addresses()
    {
        var admin = await Administration.AdministratorAsync(system);
        var organisation = await Administration.CreateOrganisationAsync(admin, "funding");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var created = await Administration.Json(await Administration.CreateAccountAsync(admin, $"funder-{tag}",
            organisation, "funder"), HttpStatusCode.Created);
        var id = created["user"]!["id"]!.GetValue<string>();
        (await admin.PostAsync($"/api/admin/users/{id}/second-factor/reset", null))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync($"/api/admin/users/{id}/deactivation", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync($"/api/admin/users/{id}/deactivation", null))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);

        using var auditor = await system.SignedInAs("auditor-of-admins", "auditor");
        var log = await auditor.GetStringAsync("/api/admin/log?limit=5000");
        var entries = JsonNode.Parse(log)!.AsArray().Where(e => e!["streamId"]!.GetValue<string>() == id)
            .Select(e => e!["type"]!.GetValue<string>()).ToArray();
        entries.ShouldBe(["account_created", "second_factor_reset", "account_deactivated"]);
        log.ShouldNotContain($"funder-{tag}");
        log.ShouldNotContain("example.org");

        var verify = await Administration.Json(await auditor.GetAsync("/api/admin/log/verify"), HttpStatusCode.OK);
        verify["verdict"]!.GetValue<string>().ShouldBe("intact");
        verify["eventsChecked"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(3);

        // Auditors read the log; they do not administer.
        (await auditor.PostAsJsonAsync("/api/admin/organisations", new { name = $"Nope {tag}", kind = "audit" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var officer = await system.SignedInAs("officer-not-auditor", "officer");
        (await officer.GetAsync("/api/admin/log")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_role_the_organisation_cannot_hold_is_refused_naming_the_field()
    {
        var admin = await Administration.AdministratorAsync(system);
        var organisation = await Administration.CreateOrganisationAsync(admin, "protection");
        var refused = await Administration.CreateAccountAsync(admin, $"mixed-{Guid.NewGuid():N}"[..20], organisation,
            "officer", "auditor");
        var problem = await Administration.Json(refused, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["roles"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Wrong_passwords_codes_and_unknown_accounts_get_one_answer_and_five_failures_lock_the_account()
    {
        var admin = await Administration.AdministratorAsync(system);
        var (name, key) = await Administration.EnrolledAccountAsync(system, admin, "protection", "supervisor");
        using var browser = new Browser(system);

        var wrongPassword = await Refusal(await browser.SignInAsync(name, "not the password at all",
            Browser.Totp(key)));
        var wrongCode = await Refusal(await browser.SignInAsync(name, Password, WrongCode(key)));
        var unknown = await Refusal(await browser.SignInAsync($"nobody-{Guid.NewGuid():N}", Password, "123456"));
        wrongCode.ShouldBe(wrongPassword);
        unknown.ShouldBe(wrongPassword);

        // Five failures in all (two above, three more): the right credentials are refused too, the same way.
        for (var i = 0; i < 3; i++)
        {
            await Refusal(await browser.SignInAsync(name, "still not the password", Browser.Totp(key)));
        }

        (await Refusal(await browser.SignInAsync(name, Password, Browser.Totp(key)))).ShouldBe(wrongPassword);

        // No password or typed name in the identity service's log.
        system.Identity.Output.ShouldNotContain("not the password at all");
        system.Identity.Output.ShouldNotContain(name);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var admin = await Administration.AdministratorAsync(system);
        var organisation = await Administration.CreateOrganisationAsync(admin, "audit");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var created = await Administration.Json(await Administration.CreateAccountAsync(admin, $"auditor-{tag}",
            organisation, "auditor"), HttpStatusCode.Created);
        using var browser = new Browser(system);
        var (_, codes) = await browser.EnrolAsync(new Uri(created["enrolment"]!["enrolmentLink"]!.GetValue<string>()),
            Password);

        (await browser.SignInAsync($"auditor-{tag}", Password, codes[0])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var other = new Browser(system);
        (await other.SignInAsync($"auditor-{tag}", Password, codes[0])).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_machine_client_gets_a_token_with_its_secret_and_not_without_it()
    {
        var granted = await system.Gateway.PostAsync("/connect/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ProtectionSystem.MachineClient,
            ["client_secret"] = ProtectionSystem.MachineClientSecret,
            ["scope"] = "protection-api",
        }));
        var tokens = await Browser.ReadTokensAsync(granted);
        tokens.AccessClaims.GetProperty("sub").GetString().ShouldBe($"client:{ProtectionSystem.MachineClient}");
        tokens.AccessClaims.GetProperty("org").GetString().ShouldBe("e2e-machines");
        using var browser = new Browser(system);
        using var api = browser.Api(tokens.AccessToken);
        (await api.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await system.Gateway.PostAsync("/connect/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ProtectionSystem.MachineClient,
            ["client_secret"] = "a wrong secret",
        }));
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("invalid_client");
    }

    [Theory]
    [InlineData("GET", "/connect/authorize", "", "invalid_request")]
    [InlineData("GET",
        "/connect/authorize?client_id=e2e-console&response_type=code&scope=openid"
        + "&redirect_uri=http%3A%2F%2Fevil.example%2Fcb"
        + "&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256",
        "", "invalid_request")]
    [InlineData("GET",
        "/connect/authorize?client_id=e2e-console&response_type=code&scope=openid&redirect_uri=REDIRECT"
        + "&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=plain",
        "", "invalid_request")]
    [InlineData("GET",
        "/connect/authorize?client_id=e2e-console&response_type=code&scope=openid&redirect_uri=REDIRECT", "",
        "invalid_request")]
    [InlineData("GET",
        "/connect/authorize?client_id=unknown-client&response_type=code&scope=openid"
        + "&redirect_uri=http%3A%2F%2Fx.example%2Fcb", "", "invalid_request")]
    [InlineData("POST", "/connect/token", "grant_type=password&username=a&password=b&client_id=e2e-console",
        "unsupported_grant_type")]
    [InlineData("POST", "/connect/token",
        "grant_type=authorization_code&code=forged&client_id=e2e-console&redirect_uri=x"
        + "&code_verifier=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq", "invalid_grant")]
    [InlineData("POST", "/connect/token", "grant_type=refresh_token&refresh_token=forged&client_id=e2e-console",
        "invalid_grant")]
    [InlineData("POST", "/connect/token", "", "invalid_request")]
    public async Task A_malformed_OpenID_Connect_request_gets_the_error_the_specification_names_never_a_500(
        string method, string path, string body, string error)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method),
            path.Replace("REDIRECT", Uri.EscapeDataString(system.RedirectUri.AbsoluteUri), StringComparison.Ordinal));
        if (method == "POST")
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        var response = await system.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeInRange(400, 499, text);
        text.ShouldContain(error);
    }

    private static string WrongCode(string key)
    {
        var right = int.Parse(Browser.Totp(key), System.Globalization.CultureInfo.InvariantCulture);
        return ((right + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> Refusal(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, html);
        var start = html.IndexOf("<p class=\"error\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, html);
        return html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)];
    }

    private static string[] Roles(JsonElement claims) =>
        claims.GetProperty("role").ValueKind == JsonValueKind.Array
            ? claims.GetProperty("role").EnumerateArray().Select(r => r.GetString()!).ToArray()
            : [claims.GetProperty("role").GetString()!];
}
