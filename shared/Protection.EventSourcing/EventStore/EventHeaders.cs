namespace Protection.EventSourcing.EventStore;

/// <summary>Names of the headers every stored event carries. All values are strings.</summary>
public static class EventHeaders
{
    /// <summary>SHA-256 over (previous hash, stream, version, type, data, metadata), hex.</summary>
    public const string Hash = "hash";

    /// <summary>The hash of the event before this one in its stream; the genesis value for the first.</summary>
    public const string PreviousHash = "prevHash";

    public const string Actor = "actor";
    public const string ActorRole = "actorRole";
    public const string CorrelationId = "correlationId";
    public const string CausationId = "causationId";

    /// <summary>
    /// When the event happened according to the service's clock, in Unix milliseconds. Not ISO 8601:
    /// Marten reads date-like header strings back as <see cref="DateTime"/>, which would change the
    /// hashed text between writing and verifying.
    /// </summary>
    public const string OccurredAt = "occurredAtUnixMs";
}
