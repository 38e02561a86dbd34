using Protection.EventSourcing.EventStore;

namespace Protection.UnitTests.Shared;

public sealed class HashChainTamperEvidence
{
    private static readonly Guid Stream = Guid.Parse("01a21073-797b-73c6-8862-4debef63b7d4");
    private static readonly KeyValuePair<string, string>[] Metadata =
        [new("actor", "olivia"), new("correlationId", "c-1")];

    private static string Hash(
        string prev = HashChain.Genesis,
        Guid? stream = null,
        long version = 1,
        string type = "case_opened",
        string data = "{\"a\":1}",
        IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        HashChain.Compute(prev, stream ?? Stream, version, type, data, metadata ?? Metadata);

    [Fact]
    public void The_same_event_always_hashes_the_same_whatever_the_metadata_order()
    {
        Hash().ShouldBe(Hash(metadata: Metadata.Reverse()));
        Hash().ShouldMatch("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Changing_any_part_of_an_event_changes_its_hash()
    {
        var original = Hash();
        string[] altered =
        [
            Hash(prev: new string('1', 64)),
            Hash(stream: Guid.NewGuid()),
            Hash(version: 2),
            Hash(type: "case_closed"),
            Hash(data: "{\"a\":2}"),
            Hash(metadata: [new("actor", "mallory"), new("correlationId", "c-1")]),
            Hash(metadata: [.. Metadata, new("extra", "x")]),
        ];
        altered.ShouldAllBe(h => h != original);
        altered.Distinct().Count().ShouldBe(altered.Length);
    }

    [Fact]
    public void The_stored_hash_itself_is_not_part_of_what_is_hashed() =>
        Hash(metadata: [.. Metadata, new(EventHeaders.Hash, "anything")]).ShouldBe(Hash());

    [Fact]
    public void Moving_text_from_one_field_to_the_next_is_detected() =>
        Hash(type: "ab", data: "c").ShouldNotBe(Hash(type: "a", data: "bc"));
}
