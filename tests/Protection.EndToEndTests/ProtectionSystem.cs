using System.Net.Http.Headers;
using System.Net.Http.Json;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// The whole system as a user meets it: the services and the gateway as real processes on real
/// PostgreSQL and RabbitMQ (a database of their own each), reached only through the gateway over HTTP.
/// </summary>
public sealed class ProtectionSystem : IAsyncLifetime
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly Dictionary<string, string> _databases = [];

    /// <summary>name, project folder, assembly: the services started, in order.</summary>
    private static readonly (string Name, string Folder, string Assembly)[] Services =
    [
        ("identity", "services/Identity", "Protection.Identity"),
        ("intake", "services/Intake", "Protection.Intake"),
        ("triage", "services/Triage", "Protection.Triage"),
        ("assistance", "services/EmergencyAssistance", "Protection.EmergencyAssistance"),
        ("relocation", "services/Relocation", "Protection.Relocation"),
    ];

    /// <summary>Per service, settings beyond the connection strings.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Settings = new()
    {
        // Relocation's clock is moved forward by the tests (missed check-ins); its watch looks every second.
        ["relocation"] = new() { ["Testing__AdjustableClock"] = "true", ["Relocation__WatchInterval"] = "00:00:01" },
    };

    /// <summary>Access tokens of the code flow live this long here, so a test can watch one expire.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A public client (code flow + PKCE) and a machine client (client credentials) registered for the tests.
    /// </summary>
    public const string TestClient = "e2e-console";
    public const string MachineClient = "e2e-scripts";
    public const string MachineClientSecret = "e2e-machine-client-secret-of-the-test-suite";

    private readonly int _gatewayPort = ServiceProcess.FreePort();
    private readonly int _identityPort = ServiceProcess.FreePort();

    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>
    /// Every answer to the API that <see cref="Gateway"/> and <see cref="SignedInAs"/> clients received.
    /// </summary>
    public ContractRecorder Contract { get; } = new();

    /// <summary>The issuer every token names: the gateway's public address, where people sign in.</summary>
    public Uri Issuer => new($"http://127.0.0.1:{_gatewayPort}/");

    /// <summary>
    /// Where the test client's authorization codes are sent (never followed: the test reads the redirect).
    /// </summary>
    public Uri RedirectUri => new(Issuer, "signin-oidc");

    /// <summary>
    /// What every process is told about tokens: the issuer, and the identity service to read its keys from.
    /// </summary>
    public Dictionary<string, string> AuthSettings => new()
    {
        ["Auth__Authority"] = Issuer.AbsoluteUri,
        ["Auth__MetadataAddress"] = $"http://127.0.0.1:{_identityPort}/.well-known/openid-configuration",
        ["Auth__ClockSkew"] = "00:00:01",
    };

    public string RabbitMq { get; private set; } = string.Empty;

    public ServiceProcess Identity => _processes.Single(p => p.Name == "identity");

    public ServiceProcess Intake => _processes.Single(p => p.Name == "intake");

    public ServiceProcess Console => _processes.Single(p => p.Name == "console");

    public ServiceProcess Triage => _processes.Single(p => p.Name == "triage");

    public ServiceProcess Assistance => _processes.Single(p => p.Name == "assistance");

    public ServiceProcess Relocation => _processes.Single(p => p.Name == "relocation");

    public async Task InitializeAsync()
    {
        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        RabbitMq = rabbit;
        foreach (var (name, folder, assembly) in Services)
        {
            var database = await TestInfrastructure.CreateDatabaseAsync($"e2e_{name}");
            _databases[name] = database;
            var environment = new Dictionary<string, string>(Settings.GetValueOrDefault(name) ?? [])
            {
                ["ConnectionStrings__Postgres"] = database,
                ["ConnectionStrings__RabbitMq"] = rabbit,
            };
            foreach (var (key, value) in AuthSettings.Concat(name == "identity" ? IdentitySettings() : []))
            {
                environment[key] = value;
            }

            _processes.Add(await ServiceProcess.StartAsync(
                name,
                BuiltAssembly(folder, assembly),
                environment,
                name == "identity" ? _identityPort : null));
        }

        _processes.Add(await ServiceProcess.StartAsync(
            "console",
            BuiltAssembly("services/Console", "Protection.Console"),
            new Dictionary<string, string>(AuthSettings)
            {
                ["Console__ClientId"] = TestClient,
                ["Console__Api"] = Issuer.AbsoluteUri,
            }));

        // Generous enough that the suite is never throttled; the limiter itself has its own test.
        var gateway = await StartGatewayAsync("gateway", tokenLimit: 10000, tokensPerSecond: 10000, port: _gatewayPort);
        _processes.Add(gateway);
        Gateway = new HttpClient(Contract.Wrap(new SocketsHttpHandler())) { BaseAddress = gateway.Address };
    }

    /// <summary>
    /// The connection string of a service's own database, for tests that must reach under the API (tampering).
    /// </summary>
    public string DatabaseOf(string service) => _databases[service];

    /// <summary>
    /// Another gateway in front of the same services, with its own rate limit (and any other settings);
    /// stopped by the caller.
    /// </summary>
    public Task<ServiceProcess> StartGatewayAsync(
        string name,
        int tokenLimit,
        int tokensPerSecond,
        IDictionary<string, string>? overrides = null,
        int? port = null)
    {
        var settings = new Dictionary<string, string>(AuthSettings)
        {
            ["RateLimiting__TokenLimit"] = tokenLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting__TokensPerSecond"] =
                tokensPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var process in _processes.Where(p => !p.Name.StartsWith("gateway", StringComparison.Ordinal)))
        {
            settings[$"ReverseProxy__Clusters__{process.Name}__Destinations__primary__Address"] =
                process.Address.ToString();
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return ServiceProcess.StartAsync(name, BuiltAssembly("gateway", "Protection.Gateway"), settings, port);
    }

    /// <summary>
    /// Runs <c>Protection.Identity.dll</c> with a command (e.g. <c>bootstrap-admin</c>) against the system's
    /// identity database.
    /// </summary>
    public Task<(int ExitCode, string Output)> RunIdentityCommandAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string>(AuthSettings)
        {
            ["ConnectionStrings__Postgres"] = _databases["identity"],
        };
        return ServiceProcess.RunToExitAsync(
            "identity-command",
            BuiltAssembly("services/Identity", "Protection.Identity"),
            environment,
            arguments,
            TimeSpan.FromSeconds(60));
    }

    /// <summary>The path of a built assembly of the solution (same configuration as these tests).</summary>
    public static string AssemblyOf(string projectFolder, string assemblyName) =>
        BuiltAssembly(projectFolder, assemblyName);

    private Dictionary<string, string> IdentitySettings() => new()
    {
        ["Identity__AccessTokenLifetime"] = AccessTokenLifetime.ToString(),
        ["Identity__SignInAttemptsPerAddressPerMinute"] = "1000",
        [$"Identity__Clients__{TestClient}__Type"] = "public",
        [$"Identity__Clients__{TestClient}__RedirectUris__0"] = RedirectUri.AbsoluteUri,
        [$"Identity__Clients__{TestClient}__PostLogoutRedirectUris__0"] =
            new Uri(Issuer, "signout-callback-oidc").AbsoluteUri,
        [$"Identity__Clients__{MachineClient}__Type"] = "confidential",
        [$"Identity__Clients__{MachineClient}__ClientSecret"] = MachineClientSecret,
        [$"Identity__Clients__{MachineClient}__Roles__0"] = "officer",
        [$"Identity__Clients__{MachineClient}__Organisation"] = "e2e-machines",
    };

    /// <summary>
    /// Moves relocation's clock forward (the only service whose clock tests move) and returns its new "now".
    /// </summary>
    public async Task<DateTimeOffset> AdvanceRelocationClockAsync(TimeSpan by)
    {
        using var client = new HttpClient { BaseAddress = Relocation.Address };
        var response = await client.PostAsJsonAsync("/testing/clock", new { advanceBy = by });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ClockResponse>())!.Now;
    }

    /// <summary>
    /// A client acting as <paramref name="user"/> with <paramref name="roles"/>, token from
    /// <c>POST /auth/dev-token</c>.
    /// </summary>
    public Task<HttpClient> SignedInAs(string user, params string[] roles) =>
        SignedInFor(null, user, roles);

    /// <summary>
    /// A client acting as <paramref name="user"/> of <paramref name="organisation"/> (the development organisation
    /// when null); an auditor's body audits <paramref name="audits"/> (when null, its own organisation).
    /// </summary>
    public async Task<HttpClient> SignedInFor(
        string? organisation, string user, string[] roles, string[]? audits = null)
    {
        var response = await Gateway.PostAsJsonAsync(
            "/auth/dev-token", new { user, roles, organisation, audits });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        var client = new HttpClient(Contract.Wrap(new SocketsHttpHandler())) { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        foreach (var database in _databases.Values)
        {
            await TestInfrastructure.DropDatabaseAsync(database);
        }
    }

    private static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        // This test assembly sits in tests/Protection.EndToEndTests/bin/<Configuration>/<tfm>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Protection.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Protection.sln not found above the test assembly.");
        }

        return Path.Combine(root.FullName, projectFolder, "bin", configuration, tfm, $"{assemblyName}.dll");
    }

    private sealed record TokenResponse(string Token);

    private sealed record ClockResponse(DateTimeOffset Now, TimeSpan Offset);
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<ProtectionSystem>
{
    public const string Name = "protection system";
}
