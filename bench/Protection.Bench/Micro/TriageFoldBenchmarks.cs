using BenchmarkDotNet.Attributes;
using Protection.Triage.Cases;

namespace Protection.Bench.Micro;

/// <summary>
/// Folding a triage case stream of <see cref="N"/> events (one <see cref="CaseTakenIn"/>, then
/// N-1 <see cref="MeasureAdded"/>) into <see cref="TriageCase"/> as Marten's inline projection does
/// (Start, then each event's Apply, in order), against appending the same measures to a plain list.
/// Each Apply copies the measure list and re-derives the next due date over it, so the fold is
/// expected to grow with N² while the baseline grows with N.
/// </summary>
/// <remarks>
/// <see cref="FoldTriageCase"/> is the stream as asked for: the case still awaits triage, so the
/// next-due derivation stops at the triage deadline. <see cref="FoldAssessedTriageCase"/> is the
/// usual order (assessed first, then the plan: CaseTakenIn, DimensionsScored, N-2 measures), where every
/// Apply also scans all open measures for the next due date.
/// </remarks>
public class TriageFoldBenchmarks
{
    private CaseTakenIn _takenIn = null!;
    private DimensionsScored _assessed = null!;
    private MeasureAdded[] _measures = null!;
    private MeasureAdded[] _measuresAfterAssessment = null!;

    [Params(100, 1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _takenIn = MicroSamples.TakenIn();
        _assessed = MicroSamples.Assessed();
        _measures = MicroSamples.Measures(N - 1);
        _measuresAfterAssessment = _measures[..^1];

        // The folds must build what Marten would: every measure, and the assessed case out of the queue.
        if (FoldTriageCase().Measures.Count != N - 1 || PlainListAppend().Count != N - 1
            || FoldAssessedTriageCase() is not { AwaitingTriage: false, NextDueAt: not null } assessed || assessed.Measures.Count != N - 2)
        {
            throw new InvalidOperationException("The triage fold did not produce the expected case.");
        }
    }

    [Benchmark(Baseline = true)]
    public List<Measure> PlainListAppend()
    {
        var measures = new List<Measure>();
        foreach (var e in _measures)
        {
            measures.Add(new Measure(e.MeasureId, e.Area, e.Type, e.Owner, e.DueOn, MeasureStatus.Open, null, e.By, e.At));
        }

        return measures;
    }

    [Benchmark]
    public TriageCase FoldTriageCase()
    {
        var state = _takenIn.Start();
        foreach (var e in _measures)
        {
            state = e.Apply(state);
        }

        return state;
    }

    [Benchmark]
    public TriageCase FoldAssessedTriageCase()
    {
        var state = _assessed.Apply(_takenIn.Start());
        foreach (var e in _measuresAfterAssessment)
        {
            state = e.Apply(state);
        }

        return state;
    }
}
