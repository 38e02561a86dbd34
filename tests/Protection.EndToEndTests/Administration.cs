using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// The platform's first administrator (bootstrapped once per system from the command line, signed in
/// through the code flow) and the organisations and enrolled accounts tests need.
/// </summary>
public static class Administration
{
    public const string Password = "a long pass phrase for the tests";

    public static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        return JsonNode.Parse(text)!;
    }

    public static Task<HttpResponseMessage> CreateAccountAsync(
        HttpClient admin,
        string userName,
        string organisation,
        params string[] roles) =>
        admin.PostAsJsonAsync(
            "/api/admin/users",
            new { userName, email = $"{userName}@example.org", organisationId = organisation, roles });

    /// <summary>A new organisation of <paramref name="kind"/>, named <paramref name="name"/> (or uniquely).</summary>
    public static async Task<string> CreateOrganisationAsync(HttpClient admin, string kind, string? name = null)
    {
        var created = await Json(
            await admin.PostAsJsonAsync(
                "/api/admin/organisations", new { name = name ?? $"{kind} organisation {Guid.NewGuid():N}", kind }),
            HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    public static async Task<(string Name, string Key)> EnrolledAccountAsync(
        ProtectionSystem system,
        HttpClient admin,
        string kind,
        string role)
    {
        var person = await EnrolledAsync(system, admin, await CreateOrganisationAsync(admin, kind), role);
        return (person.Name, person.Key);
    }

    /// <summary>
    /// An account of <paramref name="organisation"/> with <paramref name="role"/>, enrolled (password + authenticator).
    /// </summary>
    public static async Task<Person> EnrolledAsync(
        ProtectionSystem system,
        HttpClient admin,
        string organisation,
        string role)
    {
        var name = $"{role}-{Guid.NewGuid():N}"[..24];
        var created = await Json(await CreateAccountAsync(admin, name, organisation, role), HttpStatusCode.Created);
        using var browser = new Browser(system);
        var (key, _) = await browser.EnrolAsync(
            new Uri(created["enrolment"]!["enrolmentLink"]!.GetValue<string>()), Password);
        return new Person(name, created["user"]!["id"]!.GetValue<string>(), key);
    }

    /// <summary>
    /// The first administrator, bootstrapped once per system from the command line and signed in
    /// through the code flow; a second bootstrap is refused.
    /// </summary>
    public static async Task<HttpClient> AdministratorAsync(ProtectionSystem system)
    {
        await AdminGate.WaitAsync();
        try
        {
            // Access tokens live 20 s here: a known administrator refreshes (rotating the refresh token).
            if (_admin.TryGetValue(system, out var known))
            {
                var fresh = await Browser.ReadTokensAsync(await known.Browser.RefreshAsync(known.RefreshToken));
                _admin[system] = (known.Browser, fresh.RefreshToken!);
                return known.Browser.Api(fresh.AccessToken);
            }

            var (exit, output) = await system.RunIdentityCommandAsync(
                "bootstrap-admin", "--email", "first.admin@example.org", "--user", "first-admin");
            exit.ShouldBe(0, output);
            var link = output.Split('\n').Select(l => l.Trim()).Single(l =>
                l.StartsWith(system.Issuer.AbsoluteUri, StringComparison.Ordinal)
                && l.Contains("/account/enrol", StringComparison.Ordinal));

            var (again, refusal) = await system.RunIdentityCommandAsync(
                "bootstrap-admin", "--email", "second.admin@example.org");
            again.ShouldNotBe(0);
            refusal.ShouldContain("An administrator exists already");

            var browser = new Browser(system);
            var (key, _) = await browser.EnrolAsync(new Uri(link), Password);
            var tokens = await browser.CodeFlowAsync("first-admin", Password, key);
            tokens.AccessClaims.GetProperty("role").ToString().ShouldContain("admin");
            _admin[system] = (browser, tokens.RefreshToken!);
            return browser.Api(tokens.AccessToken);
        }
        finally
        {
            AdminGate.Release();
        }
    }

    private static readonly SemaphoreSlim AdminGate = new(1, 1);
    private static readonly Dictionary<ProtectionSystem, (Browser Browser, string RefreshToken)> _admin = [];
}

/// <summary>An enrolled account: its user name, id (the tokens' subject) and authenticator key.</summary>
public sealed record Person(string Name, string Id, string Key);
