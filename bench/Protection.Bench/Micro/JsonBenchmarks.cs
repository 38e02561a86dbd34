using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
namespace Protection.Bench.Micro;

/// <summary>The same 14 scalar fields as <see cref="HistoryEntry"/>, without its optional JSON data.</summary>
public sealed record PlainHistoryRow(
    DateTimeOffset At,
    string Service,
    Guid Stream,
    string StreamKind,
    long Version,
    long Sequence,
    string Type,
    string Actor,
    string Role,
    string? CorrelationId,
    string? CausationId,
    string Summary,
    string? Hash);

/// <summary>
/// Serializing a case history of 1,000 <see cref="HistoryEntry"/> rows (no export data) with the
/// audit endpoints' options (<see cref="AuditWire.Json"/>) against the same values as plain
/// records with default options.
/// </summary>
public class JsonBenchmarks
{
    private const int Count = 1000;

    private HistoryEntry[] _entries = null!;
    private PlainHistoryRow[] _plain = null!;

    [GlobalSetup]
    public void Setup()
    {
        _entries = new HistoryEntry[Count];
        _plain = new PlainHistoryRow[Count];
        var correlation = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e").ToString();
        for (var i = 0; i < Count; i++)
        {
            var at = MicroSamples.Now.AddMinutes(i);
            var hash = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)));
            var summary =
                $"Measure safe-house added to the plan (threats on the ground), due 2026-12-{1 + (i % 28):00}.";
            _entries[i] = new HistoryEntry(
                at, "triage", MicroSamples.CaseId, "case", i + 1, 10_000 + i, "measure_added", "olivia", "officer",
                correlation, correlation, summary, hash);
            _plain[i] = new PlainHistoryRow(
                at, "triage", MicroSamples.CaseId, "case", i + 1, 10_000 + i, "measure_added", "olivia", "officer",
                correlation, correlation, summary, hash);
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] PlainRecordsDefaultOptions() => JsonSerializer.SerializeToUtf8Bytes(_plain);

    [Benchmark]
    public byte[] HistoryEntriesAuditOptions() => JsonSerializer.SerializeToUtf8Bytes(_entries, AuditWire.Json);
}
