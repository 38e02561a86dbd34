using System.Diagnostics;

namespace Protection.Bench.Driver;

/// <summary>
/// One run of the benchmark: its settings, the API, the rows and figures it gathers, the invariants it saw
/// broken.
/// </summary>
public sealed class BenchRun(BenchSettings settings, Api api)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BenchSettings Settings { get; } = settings;

    public Api Api { get; } = api;

    /// <summary>
    /// Distinguishes this run's users and queues from earlier runs' (the system keeps what earlier runs wrote).
    /// </summary>
    public string Tag { get; } =
        DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    public List<Row> Rows { get; } = [];

    public List<Breach> Breaches { get; } = [];

    /// <summary>Every figure, by scenario, for the JSON file.</summary>
    public Dictionary<string, object> Figures { get; } = new();

    /// <summary>Cases the scenarios opened (and saw reach triage), which later scenarios read.</summary>
    public List<Guid> OpenedCases { get; } = [];

    /// <summary>CPU per process (set once the processes are known).</summary>
    public CpuMeter Cpu { get; set; } = new(new Dictionary<string, int>());

    public void Say(string message) => Console.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");

    public void Breached(string area, string what)
    {
        Breaches.Add(new Breach(area, what));
        Console.Error.WriteLine($"INVARIANT BROKEN ({area}): {what}");
    }

    public static string Percent(double value) => $"{value:0.#} %";
}
