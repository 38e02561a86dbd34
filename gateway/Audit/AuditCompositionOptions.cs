using System.ComponentModel.DataAnnotations;

namespace Protection.Gateway.Audit;

/// <summary>
/// How the gateway calls the four services when it composes a case's audit (<c>AuditComposition</c>
/// in configuration). Each service gets its own pipeline: a total timeout around retries around a
/// circuit breaker around a per-attempt timeout.
/// </summary>
public sealed class AuditCompositionOptions
{
    public const string Section = "AuditComposition";

    /// <summary>
    /// The services whose parts make up a case, by YARP cluster id (their addresses come from
    /// <c>ReverseProxy:Clusters</c>).
    /// </summary>
    [MinLength(1)]
    public string[] Services { get; set; } = ["intake", "triage", "assistance", "relocation"];

    /// <summary>One call to one service.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All attempts to one service together.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(12);

    [Range(0, 5)]
    public int Retries { get; set; } = 2;

    /// <summary>Calls within <see cref="BreakerSamplingDuration"/> before the breaker may open.</summary>
    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 4;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker answers "unavailable" at once, without calling the service.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
