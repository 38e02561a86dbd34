using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Protection.EventSourcing.PersonalData;

namespace Protection.Bench.Micro;

/// <summary>
/// Sealing and opening a ~300-character staff text with the case's seal (JSON, AES-256-GCM with a
/// fresh cipher object per call, case id as associated data, base64) against a raw AES-GCM encrypt
/// of the same text's UTF-8 bytes with a reused cipher object and a random nonce.
/// </summary>
public class SealingBenchmarks : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // ~300 characters naming a (fictitious) defender and places, like an officer's note.
    private const string Text =
        "Amina Testperson was followed home to Calle 5 #12-34 on two evenings by two men on a motorbike; "
        + "her son Yusuf saw them photograph the house. She moved to her sister's flat in Popayán and asks "
        + "that only the officer and the partner organisation know the address. Next check-in is on Friday at 18:00.";

    private CaseSeal _seal = null!;
    private SealedData _sealed = null!;
    private byte[] _key = null!;
    private byte[] _plaintext = null!;
    private byte[] _rawSealed = null!;
    private AesGcm _aes = null!;

    public static int TextLength => Text.Length;

    [GlobalSetup]
    public void Setup()
    {
        var vault = new PersonalDataVault(RandomNumberGenerator.GetBytes(32));
        _seal = new CaseSeal(
            vault, MicroSamples.CaseId, vault.NewCaseKey(MicroSamples.CaseId, MicroSamples.Now).DataKey);
        _sealed = _seal.Seal(Text);
        if (_seal.Open<string>(_sealed) != Text)
        {
            throw new InvalidOperationException("The case seal did not open to the sealed text.");
        }

        _key = RandomNumberGenerator.GetBytes(32);
        _plaintext = Encoding.UTF8.GetBytes(Text);
        _aes = new AesGcm(_key, TagSize);
        _rawSealed = RawAesGcmEncrypt();
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    public void Dispose()
    {
        _aes?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public byte[] RawAesGcmEncrypt()
    {
        var output = new byte[NonceSize + _plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(
            nonce,
            _plaintext,
            output.AsSpan(NonceSize, _plaintext.Length),
            output.AsSpan(NonceSize + _plaintext.Length));
        return output;
    }

    [Benchmark]
    public byte[] RawAesGcmEncryptNewCipher()
    {
        var output = new byte[NonceSize + _plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(
            nonce,
            _plaintext,
            output.AsSpan(NonceSize, _plaintext.Length),
            output.AsSpan(NonceSize + _plaintext.Length));
        return output;
    }

    [Benchmark]
    public byte[] RawAesGcmDecrypt()
    {
        var length = _rawSealed.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        _aes.Decrypt(
            _rawSealed.AsSpan(0, NonceSize),
            _rawSealed.AsSpan(NonceSize, length),
            _rawSealed.AsSpan(NonceSize + length),
            plaintext);
        return plaintext;
    }

    [Benchmark]
    public SealedData CaseSealSeal() => _seal.Seal(Text);

    [Benchmark]
    public string? CaseSealOpen() => _seal.Open<string>(_sealed);
}
