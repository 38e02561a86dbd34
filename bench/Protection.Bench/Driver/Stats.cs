namespace Protection.Bench.Driver;

/// <summary>Latency summary in milliseconds (nearest-rank percentiles).</summary>
public sealed record Latency(int Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static Latency Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Latency(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latency(
            sorted.Length,
            Round(Rank(0.50)),
            Round(Rank(0.95)),
            Round(Rank(0.99)),
            Round(sorted[^1]),
            Round(sorted.Average()));
    }

    public static double Round(double value) => Math.Round(value, value < 10 ? 2 : 1);

    public override string ToString() => $"p50 {P50} / p95 {P95} / p99 {P99} ms";
}
