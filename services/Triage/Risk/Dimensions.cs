using System.Text.Json.Serialization;
using Protection.ServiceDefaults.PersonalData;

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
/// Stored only sealed (<see cref="SealedNotes"/>); this plain form exists in requests and views.
/// </summary>
public sealed record DimensionNotes(
    string? EmotionalCognitive, string? Physical, string? Spiritual, string? Economic, string? Political);

/// <summary>
/// <see cref="DimensionNotes"/> as triage stores them: each note sealed on its own with the case's
/// key, so a note that was never written stays null and, after erasure, only written notes read "[erased]".
/// </summary>
public sealed record SealedNotes(
    SealedData? EmotionalCognitive,
    SealedData? Physical,
    SealedData? Spiritual,
    SealedData? Economic,
    SealedData? Political)
{
    public static SealedNotes Seal(DimensionNotes notes, CaseSeal seal)
    {
        SealedData? One(string? note) => note is null ? null : seal.Seal(note);
        return new(
            One(notes.EmotionalCognitive),
            One(notes.Physical),
            One(notes.Spiritual),
            One(notes.Economic),
            One(notes.Political));
    }

    /// <summary>
    /// The notes for a reader: the texts, or "[erased]" for each written note once the case's key is destroyed.
    /// </summary>
    public DimensionNotes Open(CaseSeal? seal) => new(
        CaseKeys.Text(seal, EmotionalCognitive),
        CaseKeys.Text(seal, Physical),
        CaseKeys.Text(seal, Spiritual),
        CaseKeys.Text(seal, Economic),
        CaseKeys.Text(seal, Political));
}
