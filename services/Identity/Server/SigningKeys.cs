using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Protection.ServiceDefaults.Secrets;

namespace Protection.Identity.Server;

/// <summary>
/// The keys tokens are signed and encrypted with. The current signing key comes first (it signs);
/// previous keys are published in the key set beside it, so tokens they signed stay valid until they
/// expire (rollover: add the new key as <c>SigningKey</c>, move the old one to
/// <c>PreviousSigningKeys</c>, drop it after the longest token lifetime).
/// </summary>
public sealed record SigningKeys(
    SigningCredentials Current, IReadOnlyList<SecurityKey> Previous, SymmetricSecurityKey Encryption)
{
    public static SigningKeys Load(IdentityServiceOptions options, SecretGuard guard)
    {
        var signing = guard.Require(
            $"{IdentityServiceOptions.Section}:{nameof(IdentityServiceOptions.SigningKey)}",
            SecretKind.PemPrivateKey,
            0,
            "Generate one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072");
        var encryption = guard.Require(
            $"{IdentityServiceOptions.Section}:{nameof(IdentityServiceOptions.EncryptionKey)}",
            SecretKind.Base64Key,
            32,
            "Generate one with: openssl rand -base64 32");
        for (var i = 0; i < options.PreviousSigningKeys.Count; i++)
        {
            guard.Require(
                $"{IdentityServiceOptions.Section}:{nameof(IdentityServiceOptions.PreviousSigningKeys)}:{i}",
                SecretKind.PemPrivateKey,
                0,
                "A previous key must be a key that was once the signing key.");
        }

        guard.ThrowIfAnyFailed();

        var current = FromPem(signing ?? PublishedSecrets.DevelopmentSigningKeyPem);
        var encryptionKey = new SymmetricSecurityKey(encryption is null
            ? PublishedSecrets.DevelopmentEncryptionKey
            : Convert.FromBase64String(encryption));
        return new SigningKeys(
            new SigningCredentials(
                current, current is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
            options.PreviousSigningKeys.Select(FromPem).ToArray(),
            encryptionKey);
    }

    /// <summary>
    /// An RSA or EC private key from PEM, with a key id derived from its public part (stable across restarts
    /// and replicas).
    /// </summary>
    public static AsymmetricSecurityKey FromPem(string pem)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            var key = new RsaSecurityKey(rsa);
            key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            var key = new ECDsaSecurityKey(ec);
            key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
            return key;
        }
    }
}
