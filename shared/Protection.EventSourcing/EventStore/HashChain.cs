using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Protection.EventSourcing.EventStore;

/// <summary>
/// The tamper-evidence rule: each event's hash covers the previous event's hash, the event's
/// position (stream and version), its type, its data and its metadata headers. Changing, removing,
/// reordering or inserting any stored event breaks every hash from that point on.
/// </summary>
public static class HashChain
{
    /// <summary>The "previous hash" of the first event of a stream.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <param name="metadata">Every header but <see cref="EventHeaders.Hash"/>; order does not matter.</param>
    public static string Compute(
        string previousHash,
        Guid streamId,
        long version,
        string eventType,
        string dataJson,
        IEnumerable<KeyValuePair<string, string>> metadata)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Field(sha, previousHash);
        Field(sha, streamId.ToString("D"));
        Field(sha, version.ToString(CultureInfo.InvariantCulture));
        Field(sha, eventType);
        Field(sha, dataJson);
        foreach (var (key, value) in metadata
                     .Where(kv => kv.Key != EventHeaders.Hash)
                     .OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Field(sha, key);
            Field(sha, value);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    // Length-prefixed so that no two different field lists can produce the same byte sequence.
    private static void Field(IncrementalHash sha, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
