using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Protection.Bench.Driver;

/// <summary>
/// Writes a run's results: <c>bench/results/&lt;date&gt;.json</c>, the same as a markdown table, and that table
/// into the README.
/// </summary>
public static class Report
{
    public const string ReadmeStart = "<!-- bench:start -->";
    public const string ReadmeEnd = "<!-- bench:end -->";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo")
                .First(l => l.StartsWith("MemTotal", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : "0";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release")
                .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                ?.Split('=', 2)[1].Trim('"')
            : RuntimeInformation.OSDescription;
        return $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), "
            + $"{long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024} GiB, {os}, .NET {Environment.Version}";
    }

    public static string Write(BenchRun run, TimeSpan duration)
    {
        var settings = run.Settings;
        Directory.CreateDirectory(settings.ResultsDirectory);
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var name = settings.Quick ? $"{stamp}-quick" : stamp;
        var machine = Machine();
        var json = new
        {
            date = DateTime.UtcNow,
            machine,
            quick = settings.Quick,
            durationSeconds = Math.Round(duration.TotalSeconds),
            breaches = run.Breaches,
            rows = run.Rows,
            figures = run.Figures,
        };
        var jsonPath = Path.Combine(settings.ResultsDirectory, $"{name}.json");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(json, JsonOptions));

        var table = Markdown(run, machine, duration, $"{name}.json");
        File.WriteAllText(Path.Combine(settings.ResultsDirectory, $"{name}.md"), table);
        if (settings.Readme is { } readme && File.Exists(readme) && !settings.Quick && settings.Only.Length == 0)
        {
            var text = File.ReadAllText(readme);
            var start = text.IndexOf(ReadmeStart, StringComparison.Ordinal);
            var end = text.IndexOf(ReadmeEnd, StringComparison.Ordinal);
            if (start >= 0 && end > start)
            {
                File.WriteAllText(readme, text[..(start + ReadmeStart.Length)] + "\n" + table + text[end..]);
            }
        }

        return jsonPath;
    }

    public static string Markdown(BenchRun run, string machine, TimeSpan duration, string jsonName)
    {
        var text = new StringBuilder();
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {machine}, in {duration.TotalMinutes:0.#} min"
            + $"{(run.Settings.Quick ? " (--quick: smaller counts)" : "")}; "
            + $"every figure beside its baseline measured in the same run (`bench/results/{jsonName}`).");
        text.AppendLine();
        text.AppendLine("| Area | Measure | Protection | Baseline (same run) | Ratio | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in run.Rows)
        {
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {row.Area} | {Cell(row.Measure)} | {Cell(row.Protection)} | {Cell(row.Baseline)} "
                + $"| {row.Comparison} | {row.Target} | {met} |");
        }

        text.AppendLine();
        text.AppendLine(run.Breaches.Count == 0
            ? "Invariants held: every case that answered 201 reached the triage queue; no fund was overdrawn."
            : "**Invariants broken:** " + string.Join("; ", run.Breaches.Select(b => $"{b.Area}: {b.What}")));
        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
