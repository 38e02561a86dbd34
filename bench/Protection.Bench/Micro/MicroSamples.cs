using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Triage.Cases;
using Protection.Triage.Risk;

namespace Protection.Bench.Micro;

/// <summary>Realistic, deterministic inputs shared by the micro-benchmarks (no personal data of real people).</summary>
internal static class MicroSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static readonly Guid CaseId = Guid.Parse("01a21073-797b-73c6-8862-4debef63b7d4");

    /// <summary>How Marten stores event data here: System.Text.Json, camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions MartenLikeJson = CreateMartenLikeJson();

    /// <summary>
    /// A case intake opened with a recent physical threat and a preliminary High risk, as triage takes it in
    /// (~650 bytes as stored JSON).
    /// </summary>
    public static CaseTakenIn TakenIn() => new(
        CaseId,
        "PC-2026-000123",
        "CO",
        "olivia",
        Now,
        [
            new ThreatSummary(
                Guid.Parse("01a21073-8000-7000-8000-000000000002"),
                ThreatType.Physical,
                PerpetratorCategory.Unknown,
                new DateOnly(2026, 11, 23),
                "CO"),
        ],
        2,
        new ConsentScopes(true, false),
        new RiskResult(RiskLevel.High, [
            new RiskReason(
                "physical-threat-recent",
                RiskLevel.High,
                "A physical threat within 7 days.",
                ["threat 2026-11-23 physical"],
                true),
        ]),
        Now.AddHours(24));

    /// <summary>
    /// An officer's assessment of <see cref="TakenIn"/> an hour later: High, no override, no notes. The case no
    /// longer awaits triage.
    /// </summary>
    public static DimensionsScored Assessed() => new(
        CaseId,
        new DimensionScores(1, 3, 0, 1, 2),
        null,
        new RiskResult(RiskLevel.High, [
            new RiskReason("physical-score-high", RiskLevel.High, "Physical dimension scored 3.", ["physical=3"], true),
        ]),
        RiskLevel.High,
        RiskLevel.High,
        "olivia",
        Now.AddHours(1));

    /// <summary>The <paramref name="count"/> measures an officer adds to the case's plan, in order.</summary>
    public static MeasureAdded[] Measures(int count)
    {
        var areas = Enum.GetValues<FrameworkArea>();
        var measures = new MeasureAdded[count];
        for (var i = 0; i < count; i++)
        {
            measures[i] = new MeasureAdded(
                CaseId,
                Guid.Parse($"01a21073-{i:x4}-7000-8000-00000000beef", CultureInfo.InvariantCulture),
                areas[i % areas.Length],
                "safe-house",
                "partner:casa",
                DateOnly.FromDateTime(Now.UtcDateTime).AddDays(7 + (i % 30)),
                "olivia",
                Now.AddHours(1).AddMinutes(i + 1));
        }

        return measures;
    }

    private static JsonSerializerOptions CreateMartenLikeJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
