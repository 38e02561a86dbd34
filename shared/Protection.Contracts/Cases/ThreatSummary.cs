using System.Text.Json.Serialization;

namespace Protection.Contracts.Cases;

/// <summary>The non-identifying facts of a threat: what, by whom (category), when and in which country.</summary>
public sealed record ThreatSummary(
    Guid ThreatId,
    ThreatType Type,
    PerpetratorCategory Perpetrator,
    DateOnly OccurredOn,
    string Country);

/// <summary>Threat types from the brief (intimidation, detention, reprisal, physical, digital, other).</summary>
/// <remarks>
/// Serialised by name on the wire, so adding or reordering members never changes the meaning of a
/// published message.
/// </remarks>
[JsonConverter(typeof(JsonStringEnumConverter<ThreatType>))]
public enum ThreatType
{
    Intimidation,
    Detention,
    Reprisal,
    Physical,
    Digital,
    Other,
}

/// <summary>Who is behind a threat, as a category; the source is often unknown or several actors.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PerpetratorCategory>))]
public enum PerpetratorCategory
{
    State,
    NonStateArmedGroup,
    Community,
    Family,
    Unknown,
}

/// <summary>What the defender agreed their data may be shared for. Enforced by every service and export.</summary>
public sealed record ConsentScopes(bool ShareWithFunders, bool ShareWithRelocationHost);
