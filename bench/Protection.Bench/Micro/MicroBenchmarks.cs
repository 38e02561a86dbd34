using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Protection.Bench.Micro;

/// <summary>
/// One benchmark case: its mean time, allocation and ratio to its class's baseline with the same parameters.
/// </summary>
/// <param name="Benchmark">The benchmark class, e.g. <c>TriageFoldBenchmarks</c>.</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">The parameter values, e.g. <c>N=1000</c>; empty when the class has none.</param>
/// <param name="MeanNanoseconds">Mean time per operation; NaN when the case failed.</param>
/// <param name="AllocatedBytes">Managed bytes allocated per operation, when measured.</param>
/// <param name="RatioToBaseline">
/// Mean / the baseline's mean (1 for the baseline itself), when both were measured.
/// </param>
public sealed record MicroResult(
    string Benchmark,
    string Method,
    string Parameters,
    bool IsBaseline,
    double MeanNanoseconds,
    double? AllocatedBytes,
    double? RatioToBaseline);

/// <summary>
/// The BenchmarkDotNet micro-benchmarks of the product's hot paths, each next to its "raw" baseline,
/// run in this process (no separate build) with a short job sized to finish in about a minute on two cores.
/// </summary>
public static class MicroBenchmarks
{
    /// <summary>The benchmark classes, in the order they run.</summary>
    public static readonly IReadOnlyList<Type> Classes =
    [
        typeof(HashChainBenchmarks),
        typeof(TriageFoldBenchmarks),
        typeof(SealingBenchmarks),
        typeof(JsonBenchmarks),
    ];

    /// <param name="artifactsDirectory">Where BenchmarkDotNet writes its logs and reports (created if missing).</param>
    /// <param name="quick">Fewer and shorter iterations: a smoke run, less precise.</param>
    /// <returns>
    /// One row per benchmark case, in run order. A case that BenchmarkDotNet could not run (reported on
    /// the error output, e.g. a non-optimized build) has a NaN mean and no ratio.
    /// </returns>
    public static IReadOnlyList<MicroResult> Run(string artifactsDirectory, bool quick)
    {
        Directory.CreateDirectory(artifactsDirectory);
        var config = CreateConfig(Path.GetFullPath(artifactsDirectory), quick);
        Prewarm(quick);
        var summaries = BenchmarkRunner.Run([.. Classes], config);

        // Reported, not thrown: the load driver calls this after its scenarios, whose results must still be written.
        foreach (var error in summaries.SelectMany(s => s.ValidationErrors).Where(e => e.IsCritical))
        {
            Console.Error.WriteLine(
                "micro-benchmarks: BenchmarkDotNet did not run "
                + $"{error.BenchmarkCase?.DisplayInfo ?? "a benchmark"}: {error.Message}");
        }

        var rows = summaries.SelectMany(Rows).ToArray();
        foreach (var failed in rows.Where(r => double.IsNaN(r.MeanNanoseconds)))
        {
            Console.Error.WriteLine(
                $"micro-benchmarks: {failed.Benchmark}.{failed.Method} {failed.Parameters} produced no measurement "
                + $"(see the log under {artifactsDirectory}).");
        }

        return rows;
    }

    /// <summary>
    /// Runs every benchmark case for a while, twice, with pauses for the tiered JIT's background
    /// compilation. In process, BenchmarkDotNet's short warmup alone left some cases (and whichever
    /// case ran first in a class) measuring tier-0 code; product code shared by several cases
    /// (System.Text.Json, LINQ, the records) is then optimized before any case is measured.
    /// </summary>
    private static void Prewarm(bool quick)
    {
        TimeSpan[] rounds = quick
            ? [TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(30)]
            : [TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(60)];
        foreach (var budget in rounds)
        {
            foreach (var type in Classes)
            {
                try
                {
                    Prewarm(type, budget);
                }
                catch (TargetInvocationException failure)
                {
                    // BenchmarkDotNet meets the same failure and reports the case without a measurement.
                    Console.Error.WriteLine(
                        $"micro-benchmarks: warming {type.Name} failed: {failure.InnerException?.Message}");
                }
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(quick ? 150 : 250));
        }
    }

    private static void Prewarm(Type type, TimeSpan budget)
    {
        foreach (var instance in Instances(type))
        {
            foreach (var method in type.GetMethods()
                .Where(m => m.IsDefined(typeof(BenchmarkAttribute), inherit: false)))
            {
                var clock = Stopwatch.StartNew();
                for (var calls = 0; calls < 50 || clock.Elapsed < budget; calls++)
                {
                    method.Invoke(instance, null);
                }
            }

            Invoke<GlobalCleanupAttribute>(instance);
            (instance as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// One set-up instance of <paramref name="type"/> per value of its (single) [Params] property, or one without.
    /// </summary>
    private static IEnumerable<object> Instances(Type type)
    {
        var parameter = type.GetProperties().SingleOrDefault(p => p.IsDefined(typeof(ParamsAttribute), inherit: false));
        object?[] values = parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
        foreach (var value in values)
        {
            var instance = Activator.CreateInstance(type)!;
            parameter?.SetValue(instance, value);
            Invoke<GlobalSetupAttribute>(instance);
            yield return instance;
        }
    }

    private static void Invoke<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods()
            .Where(m => m.IsDefined(typeof(TAttribute), inherit: false)))
        {
            method.Invoke(instance, null);
        }
    }

    private static ManualConfig CreateConfig(string artifactsDirectory, bool quick)
    {
        // One launch in this process. Overhead evaluation is skipped: the fastest case costs around a
        // microsecond, next to which the empty-call overhead (about a nanosecond) does not matter.
        var job = new Job(quick ? "MicroQuick" : "Micro")
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(2), logOutput: true))
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(quick ? 3 : 8)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 50 : 150))
            .WithEvaluateOverhead(false);

        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(artifactsDirectory);
    }

    private static IEnumerable<MicroResult> Rows(Summary summary)
    {
        var measured = summary.Reports
            .Select(r => (Report: r, Mean: r.ResultStatistics?.Mean ?? double.NaN))
            .ToArray();

        foreach (var (report, mean) in measured)
        {
            var benchmark = report.BenchmarkCase;
            var descriptor = benchmark.Descriptor;
            var parameters = Parameters(benchmark);
            var baseline = measured.FirstOrDefault(m =>
                m.Report.BenchmarkCase.Descriptor.Type == descriptor.Type
                && m.Report.BenchmarkCase.Descriptor.Baseline
                && Parameters(m.Report.BenchmarkCase) == parameters);
            double? ratio = baseline.Report is not null
                && double.IsFinite(mean)
                && double.IsFinite(baseline.Mean)
                && baseline.Mean > 0
                ? mean / baseline.Mean
                : null;
            double? allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark) is { } bytes ? bytes : null;

            yield return new MicroResult(
                descriptor.Type.Name,
                descriptor.WorkloadMethod.Name,
                parameters,
                descriptor.Baseline,
                mean,
                allocated,
                ratio);
        }
    }

    /// <summary>"N=1000", or "" for a class without parameters.</summary>
    private static string Parameters(BenchmarkCase benchmark) =>
        string.Join(", ", benchmark.Parameters.Items.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}")));
}
