using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protection.ServiceDefaults.Secrets;

namespace Protection.EventSourcing.PersonalData;

/// <summary>
/// Ciphertext of personal data: base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes), AES-256-GCM.
/// </summary>
public sealed record SealedData(string Ciphertext);

/// <summary>
/// A case's data key, wrapped (AES-256-GCM) with the master key. Kept as a document of its own,
/// apart from the events: destroying it (erasure) makes every sealed value of the case unreadable
/// while the events, their hashes and the audit trail stay intact.
/// </summary>
public sealed class CaseKey
{
    public Guid Id { get; set; }

    public string WrappedKey { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class PersonalDataOptions
{
    public const string Section = "PersonalData";

    /// <summary>
    /// Base64 of 32 random bytes (e.g. <c>openssl rand -base64 32</c>). Required outside Development.
    /// </summary>
    public string? MasterKey { get; set; }
}

/// <summary>
/// Envelope encryption of personal data: one random data key per case, wrapped by the master key.
/// The case id is bound into every ciphertext as associated data, so a value copied from one case
/// into another does not decrypt.
/// </summary>
public sealed class PersonalDataVault
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int KeySize = 32;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly byte[] _masterKey;

    public PersonalDataVault(byte[] masterKey)
    {
        if (masterKey.Length != KeySize)
        {
            throw new ArgumentException(
                "The master key must be 32 bytes (base64 of 32 random bytes).", nameof(masterKey));
        }

        _masterKey = masterKey;
    }

    /// <summary>
    /// Registers the vault from <c>PersonalData:MasterKey</c> and the per-case keys (every service
    /// that seals data). Outside Development the process refuses to start, naming the setting, when
    /// the key or a connection string's password is missing, published in this repository or weak.
    /// </summary>
    public static IHostApplicationBuilder AddPersonalDataVault(IHostApplicationBuilder builder)
    {
        var guard = SecretGuard.For(builder);
        var masterKey = guard.Require(
            $"{PersonalDataOptions.Section}:{nameof(PersonalDataOptions.MasterKey)}", SecretKind.Base64Key, KeySize,
            "Generate one per service with: openssl rand -base64 32");
        guard.RequirePostgresPassword("Postgres");
        guard.RequireRabbitMqPassword("RabbitMq");
        guard.ThrowIfAnyFailed();

        builder.Services.AddSingleton(
            FromOptions(new PersonalDataOptions { MasterKey = masterKey }, guard.IsDevelopment));
        builder.Services.AddSingleton<CaseKeys>();
        return builder;
    }

    /// <summary>
    /// Reads <c>PersonalData:MasterKey</c>; in Development only, falls back to the published development key.
    /// </summary>
    public static PersonalDataVault FromOptions(PersonalDataOptions options, bool isDevelopment)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(options.MasterKey);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException(
                    "PersonalData:MasterKey is not base64. Generate one with: openssl rand -base64 32");
            }

            if (key.Length != KeySize)
            {
                throw new InvalidOperationException(
                    $"PersonalData:MasterKey is {key.Length} bytes; it must be exactly {KeySize}. "
                    + "Generate one with: openssl rand -base64 32");
            }

            return new PersonalDataVault(key);
        }

        if (!isDevelopment)
        {
            throw new InvalidOperationException(
                "PersonalData:MasterKey is not configured. Set PersonalData__MasterKey to base64 of 32 random "
                + "bytes (openssl rand -base64 32), from a secret store. The development key is used only when "
                + "ASPNETCORE_ENVIRONMENT=Development.");
        }

        return new PersonalDataVault(PublishedSecrets.DevelopmentMasterKey);
    }

    /// <summary>A fresh data key for a new case and its wrapped form to store.</summary>
    public (byte[] DataKey, CaseKey Stored) NewCaseKey(Guid caseId, DateTimeOffset now)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeySize);
        var wrapped = Encrypt(_masterKey, dataKey, caseId);
        return (dataKey, new CaseKey { Id = caseId, WrappedKey = wrapped, CreatedAt = now });
    }

    public byte[] Unwrap(CaseKey stored) => Decrypt(_masterKey, stored.WrappedKey, stored.Id);

    public SealedData Seal<T>(byte[] dataKey, Guid caseId, T value) =>
        new(Encrypt(dataKey, JsonSerializer.SerializeToUtf8Bytes(value, Json), caseId));

    public T Open<T>(byte[] dataKey, Guid caseId, SealedData sealedData) =>
        JsonSerializer.Deserialize<T>(Decrypt(dataKey, sealedData.Ciphertext, caseId), Json)
        ?? throw new CryptographicException("Sealed value decrypted to nothing.");

    private static string Encrypt(byte[] key, byte[] plaintext, Guid caseId)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(
            nonce,
            plaintext,
            output.AsSpan(NonceSize, plaintext.Length),
            output.AsSpan(NonceSize + plaintext.Length),
            caseId.ToByteArray());
        return Convert.ToBase64String(output);
    }

    private static byte[] Decrypt(byte[] key, string ciphertext, Guid caseId)
    {
        var input = Convert.FromBase64String(ciphertext);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Sealed value is too short.");
        }

        var length = input.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(
            input.AsSpan(0, NonceSize),
            input.AsSpan(NonceSize, length),
            input.AsSpan(NonceSize + length),
            plaintext,
            caseId.ToByteArray());
        return plaintext;
    }
}
