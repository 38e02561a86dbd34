namespace Protection.Bench.Driver;

/// <summary>
/// One line of the results table: a figure of the product next to its baseline measured in the same run.
/// </summary>
/// <param name="Met">Whether the target was met; null where the row has no target.</param>
public sealed record Row(
    string Area, string Measure, string Protection, string Baseline, string Comparison, string Target, bool? Met);

/// <summary>A broken invariant: the run still writes its results, then fails.</summary>
public sealed record Breach(string Area, string What);
