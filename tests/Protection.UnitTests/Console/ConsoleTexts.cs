using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Protection.UnitTests.Console;

/// <summary>Every text of the console exists in every language, and every text a page asks for exists.</summary>
public sealed partial class ConsoleTexts
{
    private static readonly string Resources = Path.Combine(Root(), "services", "Console", "Resources");

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Theory]
    [InlineData("Text.es.resx")]
    [InlineData("Text.fr.resx")]
    [InlineData("Text.ar.resx")]
    public void Every_key_of_English_is_translated_and_none_is_left_over(string file)
    {
        var english = Read("Text.resx");
        var other = Read(file);

        english.Keys.Except(other.Keys).ShouldBeEmpty($"missing in {file}");
        other.Keys.Except(english.Keys).ShouldBeEmpty($"only in {file}");
        other.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key).ShouldBeEmpty($"empty in {file}");
        foreach (var (key, text) in english)
        {
            Placeholders(other[key]).ShouldBe(Placeholders(text), $"{key} in {file} has other placeholders");
        }
    }

    [Fact]
    public void Every_text_a_page_asks_for_exists()
    {
        var english = Read("Text.resx");
        var pages = Directory.EnumerateFiles(
            Path.Combine(Root(), "services", "Console", "Components"), "*.razor", SearchOption.AllDirectories);
        var asked = pages.SelectMany(page => StaticKey().Matches(File.ReadAllText(page))
            .Select(m => (Page: Path.GetFileName(page), Key: m.Groups[1].Value))).ToArray();

        asked.Length.ShouldBeGreaterThan(100);
        asked.Where(a => !english.ContainsKey(a.Key)).Select(a => $"{a.Page}: {a.Key}").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Risk", typeof(Protection.Contracts.Triage.RiskLevel))]
    [InlineData("Threat", typeof(Protection.Contracts.Cases.ThreatType))]
    [InlineData("Perpetrator", typeof(Protection.Contracts.Cases.PerpetratorCategory))]
    [InlineData("Area", typeof(Protection.Contracts.Triage.FrameworkArea))]
    [InlineData("Basis", typeof(Protection.Contracts.Triage.RiskBasis))]
    [InlineData("Outcome", typeof(Protection.Contracts.Triage.CaseOutcome))]
    [InlineData("GrantCategory", typeof(Protection.Contracts.Assistance.GrantCategory))]
    public void Every_value_of_an_enumeration_a_page_shows_has_a_text(string prefix, Type enumeration)
    {
        var english = Read("Text.resx");
        Enum.GetNames(enumeration).Select(name => $"{prefix}.{name}")
            .Where(key => !english.ContainsKey(key)).ShouldBeEmpty();
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order()];

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Protection.sln")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }

    [GeneratedRegex("""L\["([^"]+)"\]""")]
    private static partial Regex StaticKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
