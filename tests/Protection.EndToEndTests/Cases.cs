using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>Request bodies and reading helpers, in the words of the API.</summary>
internal static class Cases
{
    /// <summary>A defender whose every personal detail is unique to this call, so a leak can be searched for.</summary>
    public sealed record Defender(
        string FullName,
        string Phone,
        string Email,
        string ExactLocation,
        string ThreatDescription,
        string FamilyName)
    {
        public static Defender Unique()
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            return new Defender(
                $"Amina Testperson {tag}",
                $"+57 300 {Random.Shared.Next(1000000, 9999999)}",
                $"amina.{tag}@example.org",
                $"Calle {tag} #12-34, Popayán",
                $"Men on motorbikes followed her home ({tag})",
                $"Yusuf Testperson {tag}");
        }

        public IEnumerable<string> Secrets => [FullName, Phone, Email, ExactLocation, ThreatDescription, FamilyName];

        /// <summary>
        /// Fails if <paramref name="text"/> (a response, a broker message, a log) holds any of this defender's
        /// personal data.
        /// </summary>
        public void ShouldNotAppearIn(string text)
        {
            foreach (var secret in Secrets)
            {
                text.ShouldNotContain(secret);
            }
        }
    }

    public static JsonObject OpenCaseBody(
        Defender defender,
        string threatType = "physical",
        string? occurredOn = null) => new()
    {
        ["defender"] = new JsonObject
        {
            ["fullName"] = defender.FullName,
            ["contacts"] = new JsonObject { ["phone"] = defender.Phone, ["email"] = defender.Email },
            ["location"] = new JsonObject
            {
                ["country"] = "CO", ["region"] = "Cauca", ["exactLocation"] = defender.ExactLocation,
            },
            ["familyMembers"] = new JsonArray(
                new JsonObject { ["name"] = defender.FamilyName, ["relationship"] = "son" }),
        },
        ["consent"] = new JsonObject
        {
            ["dataProcessing"] = true, ["shareWithFunders"] = true, ["shareWithRelocationHost"] = false,
        },
        ["threats"] = new JsonArray(ThreatBody(defender, threatType, occurredOn)),
    };

    public static JsonObject ThreatBody(
        Defender defender,
        string threatType = "physical",
        string? occurredOn = null) => new()
    {
        ["type"] = threatType,
        ["perpetrator"] = "nonStateArmedGroup",
        ["occurredOn"] = occurredOn ?? DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)).ToString("yyyy-MM-dd"),
        ["country"] = "CO",
        ["region"] = "Cauca",
        ["description"] = defender.ThreatDescription,
        ["exactLocation"] = defender.ExactLocation,
    };

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>
    /// A threat body of <paramref name="threatType"/> by <paramref name="perpetrator"/>,
    /// <paramref name="daysAgo"/> days before today in Colombia, the threat's country (UTC−5, no summer time):
    /// between midnight and 05:00 UTC, UTC's today is still tomorrow there, and a threat cannot be in the future.
    /// </summary>
    public static JsonObject Threat(
        Defender defender,
        string threatType,
        int daysAgo,
        string perpetrator = "nonStateArmedGroup")
    {
        var threat = ThreatBody(defender, threatType, DaysAgoInColombia(daysAgo));
        threat["perpetrator"] = perpetrator;
        return threat;
    }

    /// <summary>The day <paramref name="days"/> days before today in Colombia (UTC−5), as the API writes it.</summary>
    public static string DaysAgoInColombia(int days) =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5).AddDays(-days))
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<(Guid Id, string Reference)> OpenAsync(
        this HttpClient officer,
        Defender defender,
        params JsonObject[] threats)
    {
        var body = OpenCaseBody(defender);
        if (threats.Length > 0)
        {
            body["threats"] = new JsonArray(threats.Select(t => (JsonNode)t).ToArray());
        }

        var response = await officer.PostAsJsonAsync("/api/cases", body);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Json();
        return (created.GetProperty("id").GetGuid(), created.GetProperty("reference").GetString()!);
    }
}
