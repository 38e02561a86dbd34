namespace Protection.Bench.Driver;

/// <summary>Where the system runs and how much load each scenario makes (bounded counts, never open-ended).</summary>
public sealed record BenchSettings
{
    public Uri Gateway { get; init; } = new("http://127.0.0.1:8080");

    public Uri Intake { get; init; } = new("http://127.0.0.1:5101");

    public Uri Triage { get; init; } = new("http://127.0.0.1:5102");

    /// <summary>
    /// A bare YARP proxy in front of intake (<c>Protection.Bench bare-proxy</c>: one route, nothing else), the
    /// floor of what a proxy adds on this machine; bench/run.sh starts one. Without it the gateway row has no
    /// such floor beside it.
    /// </summary>
    public Uri? BareProxy { get; init; }

    public string PostgresHost { get; init; } =
        "Host=127.0.0.1;Port=5432;Username=protection;Password=protection;SSL Mode=Disable";

    /// <summary>
    /// What the services' databases are called before their name (<c>protection_</c>, as deploy/local makes
    /// them); another prefix measures a copy of the system started elsewhere.
    /// </summary>
    public string DatabasePrefix { get; init; } = "protection_";

    public string RabbitMq { get; init; } = "amqp://protection:protection@127.0.0.1:5672/";

    /// <summary>The folder with the services' PID files (deploy/local/up.sh writes them).</summary>
    public string PidDirectory { get; init; } = ".run/pids";

    public string ResultsDirectory { get; init; } = "bench/results";

    public string? Readme { get; init; } = "README.md";

    /// <summary>The start-up times bench/run.sh measured (name, milliseconds), if it did.</summary>
    public string? StartupFile { get; init; }

    public bool Quick { get; init; }

    public bool Micro { get; init; } = true;

    public string[] Only { get; init; } = [];

    public int[] ThroughputLevels => Quick ? [1, 8] : [1, 4, 16, 32];

    public int ThroughputCases(int concurrency) => concurrency == 1 ? (Quick ? 40 : 100) : (Quick ? 120 : 320);

    /// <summary>The rate the target names (50 cases/s), and a light one to show latency without queueing.</summary>
    public int[] FreshnessRates => [10, 50];

    public int FreshnessSeconds => Quick ? 5 : 15;

    public int GatewayLatencyPairs => Quick ? 200 : 600;

    public int GatewayThroughputRequests => Quick ? 600 : 2400;

    public int GatewayConcurrency => 16;

    public int Funders => 50;

    public int Grants => Quick ? 150 : 400;

    public int[] HistorySizes => Quick ? [10, 1_000] : [10, 1_000, 10_000];

    /// <summary>
    /// The services hold at most 16 connections each (deploy/local/common.sh), 64 of PostgreSQL's 97;
    /// the benchmark keeps within the rest: 8 for each raw baseline store (Marten gives every store a
    /// pool of its own), 4 for each service store it opens.
    /// </summary>
    public string Postgres(string database, int pool = 8) =>
        $"{PostgresHost};Database={database};Maximum Pool Size={pool}";

    public bool Runs(string scenario) => Only.Length == 0 || Only.Contains(scenario, StringComparer.OrdinalIgnoreCase);
}
