using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Protection.UnitTests.Identity;

/// <summary>
/// The identity service's sign-in pages exist in every language and ask only for texts that exist.
/// </summary>
public sealed partial class SignInPageTexts
{
    [Theory]
    [InlineData("Text.es.resx")]
    [InlineData("Text.fr.resx")]
    [InlineData("Text.ar.resx")]
    public void The_sign_in_pages_are_translated_and_ask_only_for_texts_that_exist(string file)
    {
        var folder = Path.Combine(Root(), "services", "Identity");
        XDocument Load(string name) => XDocument.Load(Path.Combine(folder, "Resources", name));
        var english = Load("Text.resx").Root!.Elements("data")
            .Select(d => d.Attribute("name")!.Value).ToHashSet();
        var other = Load(file).Root!.Elements("data")
            .Where(d => !string.IsNullOrWhiteSpace(d.Element("value")!.Value))
            .Select(d => d.Attribute("name")!.Value).ToHashSet();
        english.Except(other).ShouldBeEmpty($"missing in {file}");

        var asked = Directory.EnumerateFiles(Path.Combine(folder, "Pages"), "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(page => PageText().Matches(File.ReadAllText(page)).Select(m => m.Groups[1].Value)).ToArray();
        asked.Length.ShouldBeGreaterThan(20);
        asked.Where(key => !english.Contains(key)).ShouldBeEmpty();
    }

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Protection.sln")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }

    [GeneratedRegex("""Text\["([^"]+)"\]""")]
    private static partial Regex PageText();
}
