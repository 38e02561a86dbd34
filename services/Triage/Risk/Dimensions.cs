using System.Text.Json.Serialization;

namespace Protection.Triage.Risk;

/// <summary>The five dimensions of CIASE's <i>Secure, Here and Now</i> risk tool.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Dimension>))]
public enum Dimension
{
    EmotionalCognitive,
    Physical,
    Spiritual,
    Economic,
    Political,
}

/// <summary>One score per dimension: 0 none, 1 moderate, 2 severe, 3 extreme.</summary>
public sealed record DimensionScores(int EmotionalCognitive, int Physical, int Spiritual, int Economic, int Political)
{
    public const int Max = 3;

    public int this[Dimension dimension] => dimension switch
    {
        Dimension.EmotionalCognitive => EmotionalCognitive,
        Dimension.Physical => Physical,
        Dimension.Spiritual => Spiritual,
        Dimension.Economic => Economic,
        Dimension.Political => Political,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown dimension."),
    };

    public int Total => EmotionalCognitive + Physical + Spiritual + Economic + Political;
}

/// <summary>
/// The officer's indicators per dimension (what was observed). Professional notes, kept in the
/// triage service only and never published; names, contacts and exact locations belong in intake.
/// </summary>
public sealed record DimensionNotes(string? EmotionalCognitive, string? Physical, string? Spiritual, string? Economic, string? Political);
