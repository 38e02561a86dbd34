using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Protection.EventSourcing.EventStore;

namespace Protection.Bench.Micro;

/// <summary>
/// The tamper-evidence hash of one stored event (<see cref="HashChain.Compute"/>) against one plain
/// SHA-256 of the event's data: what the chain costs on top of hashing the data itself.
/// </summary>
public class HashChainBenchmarks
{
    private string _previousHash = null!;
    private string _dataJson = null!;
    private KeyValuePair<string, string>[] _metadata = null!;

    /// <summary>The UTF-8 length of the event data that is hashed.</summary>
    public int DataBytes => Encoding.UTF8.GetByteCount(_dataJson);

    [GlobalSetup]
    public void Setup()
    {
        _previousHash = Convert.ToHexStringLower(SHA256.HashData("the previous event"u8));
        _dataJson = JsonSerializer.Serialize(MicroSamples.TakenIn(), MicroSamples.MartenLikeJson); // ~650 bytes

        // The headers the hash-chain listener has set when it computes the hash (all but the hash itself).
        _metadata =
        [
            new(EventHeaders.Actor, "olivia"),
            new(EventHeaders.ActorRole, "officer"),
            new(EventHeaders.CorrelationId, "0f8fad5b-d9cb-469f-a165-70867728950e"),
            new(EventHeaders.CausationId, "7c9e6679-7425-40de-944b-e07fc1f90ae7"),
            new(
                EventHeaders.OccurredAt,
                MicroSamples.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new(EventHeaders.PreviousHash, _previousHash),
        ];
    }

    [Benchmark(Baseline = true)]
    public byte[] RawSha256OfData() => SHA256.HashData(Encoding.UTF8.GetBytes(_dataJson));

    [Benchmark]
    public string HashChainCompute() =>
        HashChain.Compute(_previousHash, MicroSamples.CaseId, 42, "case_taken_in", _dataJson, _metadata);
}
