using System.Security.Cryptography;
using Protection.ServiceDefaults.Secrets;

namespace Protection.EndToEndTests;

/// <summary>
/// Outside Development every process refuses to start, naming the setting, when a secret is missing,
/// is a value published in this repository, is one byte repeated, or is too short. Each case starts
/// the real built process with <c>ASPNETCORE_ENVIRONMENT=Production</c> and otherwise strong settings.
/// </summary>
public sealed class WeakSecretsTests
{
    private static readonly string StrongPassword = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    private static readonly (string Name, string Folder, string Assembly)[] DataServices =
    [
        ("intake", "services/Intake", "Protection.Intake"),
        ("triage", "services/Triage", "Protection.Triage"),
        ("assistance", "services/EmergencyAssistance", "Protection.EmergencyAssistance"),
        ("relocation", "services/Relocation", "Protection.Relocation"),
    ];

    /// <summary>Rule → a value that breaks it (null: the setting is absent) and what the refusal says.</summary>
    private static readonly (string Rule, string? Value, string Says)[] KeyRules =
    [
        ("missing", null, "is not set"),
        ("published", Convert.ToBase64String(PublishedSecrets.DevelopmentMasterKey),
            "published in the Protection repository"),
        ("one byte repeated", Convert.ToBase64String(new byte[32]), "one byte value repeated"),
        ("too short", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), "must be at least 32"),
    ];

    public static TheoryData<string, string> MasterKeyCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in DataServices)
        {
            foreach (var rule in KeyRules)
            {
                data.Add(service.Name, rule.Rule);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MasterKeyCases))]
    public async Task A_service_refuses_a_weak_personal_data_master_key(string service, string rule)
    {
        var (_, folder, assembly) = DataServices.Single(s => s.Name == service);
        var (_, value, says) = KeyRules.Single(r => r.Rule == rule);
        var settings = ServiceSettings();
        Set(settings, "PersonalData__MasterKey", value);

        await RefusesAsync(folder, assembly, settings, "PersonalData:MasterKey", says);
    }

    public static TheoryData<string, string> IdentityCases() => new()
    {
        { "Identity__SigningKey", "missing" },
        { "Identity__SigningKey", "published" },
        { "Identity__SigningKey", "too short" },
        { "Identity__SigningKey", "not a key" },
        { "Identity__EncryptionKey", "missing" },
        { "Identity__EncryptionKey", "published" },
        { "Identity__EncryptionKey", "one byte repeated" },
        { "Identity__EncryptionKey", "too short" },
        { "Identity__Clients__scripts__ClientSecret", "missing" },
        { "Identity__Clients__scripts__ClientSecret", "published" },
        { "Identity__Clients__scripts__ClientSecret", "one byte repeated" },
        { "Identity__Clients__scripts__ClientSecret", "too short" },
    };

    [Theory]
    [MemberData(nameof(IdentityCases))]
    public async Task The_identity_service_refuses_a_weak_signing_key_encryption_key_or_client_secret(
        string setting,
        string rule)
    {
        var settings = IdentitySettings();
        var (value, says) = (setting, rule) switch
        {
            (_, "missing") => ((string?)null, "is not set"),
            ("Identity__SigningKey", "published") =>
                (PublishedSecrets.DevelopmentSigningKeyPem, "published in the Protection repository"),
            ("Identity__SigningKey", "too short") => (Rsa(1024), "must be at least 2048"),
            ("Identity__SigningKey", "not a key") =>
                ("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----", "is not a PEM private key"),
            ("Identity__EncryptionKey", _) =>
                (KeyRules.Single(r => r.Rule == rule).Value, KeyRules.Single(r => r.Rule == rule).Says),
            (_, "published") => (PublishedSecrets.DevelopmentClientSecret, "published in the Protection repository"),
            (_, "one byte repeated") => (new string('x', 40), "one character repeated"),
            (_, "too short") => ("Xq3-short-secret", "must be at least 32"),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        Set(settings, setting, value);

        await RefusesAsync(
            "services/Identity",
            "Protection.Identity",
            settings,
            setting.Replace("__", ":", StringComparison.Ordinal),
            says);
    }

    [Theory]
    [InlineData(
        "ConnectionStrings__Postgres",
        "Host=127.0.0.1;Database=protection_intake;Username=protection;Password=protection")]
    [InlineData("ConnectionStrings__RabbitMq", "amqp://protection:protection@127.0.0.1:5672/")]
    public async Task A_service_refuses_a_connection_password_published_in_the_source(
        string setting,
        string connectionString)
    {
        var settings = ServiceSettings();
        settings[setting] = connectionString;

        await RefusesAsync(
            "services/Intake",
            "Protection.Intake",
            settings,
            setting.Replace("__", ":", StringComparison.Ordinal),
            "published in the Protection repository");
    }

    [Theory]
    [InlineData("gateway", "Protection.Gateway")]
    [InlineData("services/Intake", "Protection.Intake")]
    public async Task A_process_without_an_authority_refuses_to_start_outside_Development(
        string folder,
        string assembly)
    {
        var settings = ServiceSettings();
        settings.Remove("Auth__Authority");

        await RefusesAsync(folder, assembly, settings, "Auth:Authority", "is not configured");
    }

    private static async Task RefusesAsync(
        string folder,
        string assembly,
        Dictionary<string, string> settings,
        string setting,
        string says)
    {
        var (exit, output) = await ServiceProcess.RunToExitAsync(
            $"{assembly} in Production",
            ProtectionSystem.AssemblyOf(folder, assembly),
            settings,
            [],
            TimeSpan.FromSeconds(60));

        exit.ShouldNotBe(0, output);
        output.ShouldContain(setting, customMessage: output);
        output.ShouldContain(says, customMessage: output);
        output.ShouldNotContain("Now listening on");
        if (settings.TryGetValue(setting.Replace(":", "__", StringComparison.Ordinal), out var secret)
            && secret.Length > 0)
        {
            output.ShouldNotContain(secret); // a refusal names the setting, never the value
        }
    }

    /// <summary>Everything a data service needs in Production, strong; the test then weakens one thing.</summary>
    private static Dictionary<string, string> ServiceSettings() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Auth__Authority"] = "https://id.example.org/",
        ["ConnectionStrings__Postgres"] =
            $"Host=127.0.0.1;Database=never_reached;Username=protection_prod;Password={StrongPassword}",
        ["ConnectionStrings__RabbitMq"] =
            $"amqp://protection_prod:{Uri.EscapeDataString(StrongPassword)}@127.0.0.1:5672/",
        ["PersonalData__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    private static Dictionary<string, string> IdentitySettings()
    {
        var settings = ServiceSettings();
        settings.Remove("PersonalData__MasterKey");
        settings["Identity__SigningKey"] = Rsa(2048);
        settings["Identity__EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["Identity__Clients__scripts__Type"] = "confidential";
        settings["Identity__Clients__scripts__Roles__0"] = "officer";
        settings["Identity__Clients__scripts__ClientSecret"] =
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return settings;
    }

    private static void Set(Dictionary<string, string> settings, string key, string? value)
    {
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }
    }

    private static string Rsa(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
