using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using System.Data.Common;

namespace Protection.ServiceDefaults.Secrets;

/// <summary>
/// Every secret this repository publishes for Development: the values a process refuses anywhere
/// else. Anyone can read them here, so a deployment that kept one would protect nothing.
/// </summary>
public static class PublishedSecrets
{
    /// <summary>
    /// The development master key's seed (each service's development <c>PersonalData:MasterKey</c> is its
    /// SHA-256).
    /// </summary>
    internal const string DevelopmentMasterKeySeed = "protection-development-master-key-not-for-real-data";

    /// <summary>The identity service's development token encryption key's seed (its SHA-256).</summary>
    public const string DevelopmentEncryptionKeySeed = "protection-development-token-encryption-key-not-for-real-data";

    /// <summary>
    /// The symmetric signing key the gateway and services used before tokens came from the identity service.
    /// </summary>
    public const string FormerDevelopmentSigningKey = "protection-development-signing-key-not-for-production-use";

    /// <summary>
    /// The password of the local PostgreSQL role and RabbitMQ user (deploy/local, docker-compose.yml).
    /// </summary>
    public const string DevelopmentPassword = "protection";

    /// <summary>
    /// The development secret of the machine client (services/Identity/appsettings.Development.json).
    /// </summary>
    public const string DevelopmentClientSecret = "protection-development-client-secret-not-for-real-use";

    /// <summary>
    /// The identity service's development RSA key pair (PKCS#8 PEM). Tokens issued in Development are
    /// signed with it, so tests go through the same validation as production, and tests may sign
    /// tokens with it. It is published: nothing outside Development accepts it.
    /// </summary>
    public const string DevelopmentSigningKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCydEj8qz1jOlyC
        pqInkil2gr4MjorADa9L+GzvonTYovdX6yoZ3Wz3EMfgmYeiqtt+EMUkp3d+dkSl
        J9PPA9lVBznySS+59VRt3PlXe3E4d03a6AlO242TrHjlCQyc5FyZOeVS7wG5qukD
        6cWk2q0PFhzS0W/LxCLkXahEcjFELjAcvh8mLUXEw3TGLBZTQ0C0vO7pAEdXhfUH
        7YOdx6c3zA0FA8Wkv9cpPAPhsJFErljiQYLJFi3VU6qHxRgjA4f+fl7QfR5qFnPT
        Af8RjaXIuQLxVyARAr/oIgAIq4pFVZsUFdQOKlrqg1SuKlZIuALyFnDVBh5jOxWD
        2TiQArgtAgMBAAECggEABhuB08UjJsL8n3Hg0VfItWT5ztfopEEjpRPSW9MBZD7f
        /IfDt/Rl0kCmOPsQLKjjz7LDu7XDWqLlRdckQhMosqbUNlHuZ5Mfo1q7EHuQHBJe
        agKwe0Nhp+W9rBSgWtTbw9iHjz9qUMAqbuczvwKT7Mg0aG7hQF+AITUAxgaErKEu
        qMgbYH19tv8H2QqZoDR72LrBS0g0MkzSZmLhi2d6wVS74Y34n9U9Hn0FHpuCO5XJ
        ePKKptq6i58cYgvOaUgZK63MSBoM7VPQoV4Bxb/f3xAy6cHksIH7SHum6NR/fdQS
        ixTq4LAAUm9JitRqVi7/eiU1qQik9AnlgV9qRS/cuQKBgQD3fE1ddvCi9ri0M7ac
        2IU1jSsPc5AO7zQd9pKj1cT97/amB9EVCcIt3Z7NlApt2vqN2036/T1tNmKD4ckj
        BH1Z3YZmAgL+nkJ3B/bjRWRmzT863gFDODdbIg7BaZd3GHyu3Ro13K8omz6wcNn4
        q024vHEKrxs+DnMfsEgNHmiMyQKBgQC4l/+P0yXDPOWCsmCI0B7I2JlugZDDRoz2
        VZH2utqB4T6GfGyq11O5kWdIQPFGWEEkqNJ9BEKls7bDtZUANXhP/s++YXOEp4ub
        jUNrIGehS1QHO0yW6/MhhI0+q0pApMpobYhc6biT1BqC12+QDqIxMpJX7XcwrEtg
        XqCXFx+WRQKBgHOzgjvS8ldNvzZIAvS66TQLBnmXzl6dCCGF+DJuK0WI3Sfr+Zy7
        TjPBK4/yyRloycBuKbvQjtozFcWQVkdvvua3gTDJefrtpCcf6xV/iJvjEs+DoNV7
        P630cy+LHQvJv+jEZ4+M17rFMX6tk8oE1DYsqzCSgsr1WG8VK+ouMDS5AoGARaqn
        +wH3eI3dGMx1fmz9kVOd5ITlu60+uiFlazbuDKKT1HHVGU0W/iwQTMalyKS6QTmt
        5xzagmsnCQnY6DFF7PsAMJva2y/YkqZn0WBze/5QAkKxDyyRoA7Et+gxp+AJvAvK
        sTZMQQ6Fyue/5SCAugyaCrFGkIoWEJLmDN/fPfkCgYARoRzio56mgGsonBXt7mwv
        6Fneuy34iuhR2dEM4z7mSCxpUQqWVRPXx5Xo0KbyygbNAdu8G1hLTHAXYCv5xg27
        ctXnpwnyOBth/CnP9CThce7N+9W0fNA+u+ba0xoVjMMbVy7PavyAqYYKhlk01m24
        rzpVUka2PUe8KUkWUAblMA==
        -----END PRIVATE KEY-----
        """;

    public static byte[] DevelopmentMasterKey => SHA256.HashData(Encoding.UTF8.GetBytes(DevelopmentMasterKeySeed));

    public static byte[] DevelopmentEncryptionKey =>
        SHA256.HashData(Encoding.UTF8.GetBytes(DevelopmentEncryptionKeySeed));

    /// <summary>Every published value, in every form a setting may carry it (text, base64, PEM body).</summary>
    public static IReadOnlyCollection<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        DevelopmentMasterKeySeed,
        Convert.ToBase64String(DevelopmentMasterKey),
        DevelopmentEncryptionKeySeed,
        Convert.ToBase64String(DevelopmentEncryptionKey),
        FormerDevelopmentSigningKey,
        DevelopmentPassword,
        DevelopmentClientSecret,
        PemBody(DevelopmentSigningKeyPem),
    };

    internal static string PemBody(string pem) =>
        string.Concat(pem.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
}

/// <summary>What a secret is, for the rules that judge it.</summary>
public enum SecretKind
{
    /// <summary>Base64 of random bytes, at least <c>minimum</c> bytes once decoded.</summary>
    Base64Key,

    /// <summary>A PEM private key (RSA of at least 2048 bits, or EC P-256 or stronger).</summary>
    PemPrivateKey,

    /// <summary>A password or client secret, at least <c>minimum</c> characters.</summary>
    Text,
}

/// <summary>
/// Outside Development a process refuses to start, naming the setting, when a secret is missing,
/// is a value published in this repository, is one byte or character repeated, or is too short.
/// All failures are reported at once, so an operator fixes them in one go.
/// </summary>
public sealed class SecretGuard(IConfiguration configuration, IHostEnvironment environment)
{
    private readonly List<string> _failures = [];

    public static SecretGuard For(IHostApplicationBuilder builder) => new(builder.Configuration, builder.Environment);

    /// <summary>True when development fallbacks are allowed (and no secret is checked).</summary>
    public bool IsDevelopment => environment.IsDevelopment();

    /// <summary>Checks one required secret; returns its value (null when missing, in Development only).</summary>
    public string? Require(string setting, SecretKind kind, int minimum, string howToMake)
    {
        var value = configuration[setting];
        if (IsDevelopment)
        {
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }

        var failure = Judge(value, kind, minimum);
        if (failure is not null)
        {
            _failures.Add($"{setting} {failure}. {howToMake}");
        }

        return value;
    }

    /// <summary>Checks the password inside a PostgreSQL connection string, when it has one.</summary>
    public void RequirePostgresPassword(string connectionStringName)
    {
        var connectionString = configuration.GetConnectionString(connectionStringName);
        if (IsDevelopment || string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        string? password;
        try
        {
            // The generic key=value reader: the gateway checks these strings too, without a database driver.
            var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
            password = parsed.TryGetValue("Password", out var value) ? value?.ToString() : null;
        }
        catch (ArgumentException)
        {
            _failures.Add($"ConnectionStrings:{connectionStringName} is not a valid PostgreSQL connection string.");
            return;
        }

        if (password is not null && PublishedSecrets.All.Contains(password))
        {
            _failures.Add(
                $"ConnectionStrings:{connectionStringName} uses a password published in the Protection repository. "
                + "Give the database role its own password.");
        }
    }

    /// <summary>Checks the password inside an amqp:// URI, when it has one.</summary>
    public void RequireRabbitMqPassword(string connectionStringName)
    {
        var uri = configuration.GetConnectionString(connectionStringName);
        if (IsDevelopment || string.IsNullOrWhiteSpace(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return;
        }

        var userInfo = Uri.UnescapeDataString(parsed.UserInfo);
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && PublishedSecrets.All.Contains(userInfo[(colon + 1)..]))
        {
            _failures.Add(
                $"ConnectionStrings:{connectionStringName} uses a password published in the Protection repository. "
                + "Give the RabbitMQ user its own password.");
        }
    }

    /// <summary>Throws, naming every failed setting, if any check failed.</summary>
    public void ThrowIfAnyFailed()
    {
        if (_failures.Count > 0)
        {
            throw new WeakSecretException(
                $"Refusing to start in {environment.EnvironmentName}: " + string.Join(" ", _failures) +
                " Secrets come from the environment or a secret store; the development values in the source " +
                "work only with ASPNETCORE_ENVIRONMENT=Development.");
        }
    }

    /// <summary>Why a value is not acceptable as a secret of this kind, or null when it is.</summary>
    public static string? Judge(string? value, SecretKind kind, int minimum)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "is not set";
        }

        var trimmed = value.Trim();
        if (PublishedSecrets.All.Contains(trimmed) ||
            (kind == SecretKind.PemPrivateKey && PublishedSecrets.All.Contains(PublishedSecrets.PemBody(trimmed))))
        {
            return "is a value published in the Protection repository (a development secret)";
        }

        return kind switch
        {
            SecretKind.Base64Key => JudgeKey(trimmed, minimum),
            SecretKind.PemPrivateKey => JudgePem(trimmed),
            _ => JudgeText(trimmed, minimum),
        };
    }

    private static string? JudgeKey(string value, int minimumBytes)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return "is not base64";
        }

        if (bytes.Length > 0 && bytes.All(b => b == bytes[0]))
        {
            return "is one byte value repeated, not a random key";
        }

        return bytes.Length < minimumBytes ? $"is {bytes.Length} bytes; it must be at least {minimumBytes}" : null;
    }

    private static string? JudgeText(string value, int minimumLength)
    {
        if (value.Distinct().Count() == 1)
        {
            return "is one character repeated";
        }

        return value.Length < minimumLength
            ? $"is {value.Length} characters; it must be at least {minimumLength}"
            : null;
    }

    private static string? JudgePem(string value)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(value);
            return rsa.KeySize < 2048 ? $"is an RSA key of {rsa.KeySize} bits; it must be at least 2048" : null;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // not RSA: try EC below
        }

        try
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(value);
            return ec.KeySize < 256 ? $"is an EC key of {ec.KeySize} bits; it must be at least 256" : null;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return "is not a PEM private key (RSA or EC)";
        }
    }
}

/// <summary>A process started outside Development with a secret that protects nothing.</summary>
public sealed class WeakSecretException(string message) : Exception(message);
