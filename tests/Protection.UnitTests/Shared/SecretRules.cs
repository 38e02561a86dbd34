using System.Security.Cryptography;
using Protection.ServiceDefaults.Secrets;

namespace Protection.UnitTests.Shared;

/// <summary>What makes a secret unacceptable outside Development, rule by rule and kind by kind.</summary>
public sealed class SecretRules
{
    private static string Random(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

    [Fact]
    public void A_random_key_of_the_required_length_is_accepted()
    {
        SecretGuard.Judge(Random(32), SecretKind.Base64Key, 32).ShouldBeNull();
        SecretGuard.Judge(Random(64), SecretKind.Base64Key, 32).ShouldBeNull();
    }

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("", "is not set")]
    [InlineData("   ", "is not set")]
    [InlineData("not base64!", "is not base64")]
    public void A_missing_or_malformed_key_is_refused(string? value, string says) =>
        SecretGuard.Judge(value, SecretKind.Base64Key, 32).ShouldBe(says);

    [Fact]
    public void A_key_that_is_one_byte_repeated_is_refused_whatever_the_byte()
    {
        SecretGuard.Judge(Convert.ToBase64String(new byte[32]), SecretKind.Base64Key, 32)
            .ShouldBe("is one byte value repeated, not a random key");
        SecretGuard.Judge(Convert.ToBase64String(Enumerable.Repeat((byte)0xA5, 48).ToArray()), SecretKind.Base64Key, 32)
            .ShouldBe("is one byte value repeated, not a random key");
    }

    [Fact]
    public void A_key_one_byte_short_is_refused_and_one_of_exactly_the_minimum_is_not() =>
        SecretGuard.Judge(Random(31), SecretKind.Base64Key, 32).ShouldBe("is 31 bytes; it must be at least 32");

    [Fact]
    public void Every_published_development_value_is_refused_in_every_form_a_setting_carries_it()
    {
        SecretGuard.Judge(Convert.ToBase64String(PublishedSecrets.DevelopmentMasterKey), SecretKind.Base64Key, 32)
            .ShouldNotBeNull();
        SecretGuard.Judge(Convert.ToBase64String(PublishedSecrets.DevelopmentEncryptionKey), SecretKind.Base64Key, 32)
            .ShouldNotBeNull();
        SecretGuard.Judge(PublishedSecrets.DevelopmentClientSecret, SecretKind.Text, 32).ShouldNotBeNull();
        SecretGuard.Judge(PublishedSecrets.FormerDevelopmentSigningKey, SecretKind.Text, 32).ShouldNotBeNull();
        SecretGuard.Judge(PublishedSecrets.DevelopmentPassword, SecretKind.Text, 8).ShouldNotBeNull();

        // The PEM with other indentation and line ends is the same key.
        var reflowed = string.Join("\r\n", PublishedSecrets.DevelopmentSigningKeyPem.Split('\n').Select(l => l.Trim()));
        SecretGuard.Judge(reflowed, SecretKind.PemPrivateKey, 0)
            .ShouldBe("is a value published in the Protection repository (a development secret)");
    }

    [Theory]
    [InlineData(2048, null)]
    [InlineData(1024, "is an RSA key of 1024 bits; it must be at least 2048")]
    public void An_RSA_signing_key_needs_2048_bits(int bits, string? says)
    {
        using var rsa = RSA.Create(bits);
        SecretGuard.Judge(rsa.ExportPkcs8PrivateKeyPem(), SecretKind.PemPrivateKey, 0).ShouldBe(says);
    }

    [Fact]
    public void An_EC_P256_signing_key_is_accepted_and_text_that_is_no_key_is_refused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SecretGuard.Judge(ec.ExportPkcs8PrivateKeyPem(), SecretKind.PemPrivateKey, 0).ShouldBeNull();
        SecretGuard.Judge(
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----",
                SecretKind.PemPrivateKey,
                0)
            .ShouldBe("is not a PEM private key (RSA or EC)");
    }

    [Theory]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "is one character repeated")]
    [InlineData("short-but-varied", "is 16 characters; it must be at least 32")]
    [InlineData("a-client-secret-of-forty-varied-chars-123", null)]
    public void A_client_secret_must_be_long_and_not_one_character(string value, string? says) =>
        SecretGuard.Judge(value, SecretKind.Text, 32).ShouldBe(says);
}
