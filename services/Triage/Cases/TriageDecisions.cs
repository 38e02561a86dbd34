using Microsoft.Extensions.Options;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.PersonalData;
using Protection.Triage.Risk;

namespace Protection.Triage.Cases;

/// <summary>
/// What triage decides, as events, from a case's state and what just happened. No I/O, so every
/// rule (deadlines, escalation, "never lowered silently", overrides) is unit-testable. Free text
/// (notes, reasons) arrives already sealed with the case's key: nothing here reads it.
/// </summary>
public sealed class TriageDecisions(IOptions<TriageOptions> options)
{
    public const string MissedCheckInRule = "relocation-check-in-missed";
    public const string EmergencyCheckInRule = "relocation-emergency-check-in";

    private readonly TriageOptions _options = options.Value;
    private readonly RiskEvaluator _evaluator = new(options.Value.RiskRules);

    public TriageOptions Options => _options;

    public RiskResult Evaluate(DimensionScores? scores, IReadOnlyList<ThreatSummary> threats, DateTimeOffset now) =>
        _evaluator.Evaluate(scores, threats, DateOnly.FromDateTime(now.UtcDateTime));

    /// <summary>
    /// A case intake opened: in the queue at once, with a preliminary risk and a deadline counted
    /// from intake. Its only event is the <see cref="CaseTakenIn"/> that starts the stream.
    /// </summary>
    public Decided TakeIn(Guid caseId, string reference, string country, string openedBy, DateTimeOffset openedAt,
        IReadOnlyList<ThreatSummary> threats, int peopleAtRisk, ConsentScopes consent, DateTimeOffset now)
    {
        var preliminary = Evaluate(null, threats, now);
        var takenIn = new CaseTakenIn(caseId, reference, country, openedBy, openedAt, threats, peopleAtRisk, consent,
            preliminary, openedAt + _options.DeadlineFor(preliminary.Level));
        return new Decided([takenIn], Recommendation(null, takenIn.Start()));
    }

    /// <summary>
    /// A new threat: re-computes the preliminary risk, raises the level in force when it is higher
    /// (never lowers it), and puts an open case back in the queue with a deadline by the new level.
    /// </summary>
    public Decided AddThreat(TriageCase @case, ThreatSummary threat, DateTimeOffset now)
    {
        if (@case.Threats.Any(t => t.ThreatId == threat.ThreatId))
        {
            return Decided.Nothing;
        }

        var preliminary = Evaluate(null, [.. @case.Threats, threat], now);
        var events = new List<object> { new ThreatAdded(@case.Id, threat, preliminary, now) };
        if (@case.Status == TriageStatus.Closed)
        {
            return new Decided(events); // recorded; re-opening a closed case is a person's decision
        }

        var level = @case.Risk.Level;
        if (preliminary.Level > level)
        {
            events.Add(new RiskEscalated(@case.Id, level, preliminary.Level, preliminary, now));
            level = preliminary.Level;
        }

        var due = now + _options.DeadlineFor(level);
        if (!@case.AwaitingTriage || @case.TriageDueAt is null || due < @case.TriageDueAt)
        {
            events.Add(new TriageDeadlineSet(@case.Id, due, level, TriageTrigger.NewThreat, now));
        }

        return Decide(@case, events);
    }

    /// <summary>
    /// An assessment of an open case. The level in force is the computed one, but never below a
    /// supervisor's override.
    /// </summary>
    public Outcome<Decided> Assess(
        TriageCase @case, DimensionScores scores, SealedNotes? notes, string by, DateTimeOffset now)
    {
        if (MustBeOpen(@case) is { } closed)
        {
            return closed;
        }

        var computed = Evaluate(scores, @case.Threats, now);
        var level = @case.Override is { } o && o.Level > computed.Level ? o.Level : computed.Level;
        return Decide(
            @case, [new DimensionsScored(@case.Id, scores, notes, computed, level, @case.Risk.Level, by, now)]);
    }

    /// <summary>
    /// A supervisor's override of an open case; while the case awaits assessment its deadline follows
    /// the new level.
    /// </summary>
    public Outcome<Decided> Override(
        TriageCase @case, RiskLevel level, SealedData reason, string by, DateTimeOffset now)
    {
        if (MustBeOpen(@case) is { } closed)
        {
            return closed;
        }

        var events = new List<object> { new RiskOverridden(@case.Id, @case.Risk.Level, level, reason, by, now) };
        if (@case.AwaitingTriage)
        {
            var due = @case.TriageStartedAt + _options.DeadlineFor(level);
            events.Add(new TriageDeadlineSet(@case.Id, due, level, TriageTrigger.RiskChanged, now));
        }

        return Decide(@case, events);
    }

    /// <summary>
    /// Re-opening puts a closed case back in the queue with a deadline by its level, counted from now.
    /// </summary>
    public Outcome<Decided> Reopen(TriageCase @case, SealedData reason, string by, DateTimeOffset now)
    {
        if (@case.Status == TriageStatus.Open)
        {
            return Refusal.Conflict("The case is open; only a closed case can be re-opened.");
        }

        var level = @case.Risk.Level;
        return Decide(@case,
        [
            new CaseReopenedForTriage(@case.Id, reason, null, by, now),
            new TriageDeadlineSet(@case.Id, now + _options.DeadlineFor(level), level, TriageTrigger.Reopened, now),
        ]);
    }

    /// <summary>
    /// A relocated defender missed a check-in or reported an emergency: the level in force rises to at
    /// least the configured one (never lowered), and the case goes back in the queue with the deadline
    /// of that level, counted from now. A closed case is re-opened: someone away and silent is not a
    /// closed matter. The same missed deadline reported twice changes nothing the second time.
    /// </summary>
    public Decided RaiseRelocationAlert(
        TriageCase @case, Guid relocationId, RelocationAlert alert, DateTimeOffset? checkInDueAt, DateTimeOffset now)
    {
        var missed = alert == RelocationAlert.CheckInMissed;
        if (missed && @case.RelocationAlerts.Any(a =>
                a.RelocationId == relocationId && a.Alert == alert && a.CheckInDueAt == checkInDueAt))
        {
            return Decided.Nothing;
        }

        var alerts = _options.RelocationAlerts;
        var floor = missed ? alerts.MissedCheckIn : alerts.EmergencyCheckIn;
        var level = @case.Risk.Level > floor ? @case.Risk.Level : floor;
        var reason = missed
            ? new RiskReason(
                MissedCheckInRule,
                floor,
                $"The relocated defender missed the check-in due {checkInDueAt:u}; the case is at least {floor}.",
                [$"checkInDueAt = {checkInDueAt:u}"],
                level == floor)
            : new RiskReason(
                EmergencyCheckInRule,
                floor,
                $"The relocated defender checked in with an emergency; the case is at least {floor}.",
                ["checkIn = emergency"],
                level == floor);

        var events = new List<object>();
        var reopened = @case.Status == TriageStatus.Closed;
        if (reopened)
        {
            events.Add(new CaseReopenedForTriage(@case.Id, null, reason.Because, "system", now));
        }

        events.Add(new RelocationAlertRaised(
            @case.Id, relocationId, alert, checkInDueAt, @case.Risk.Level, level, reason, now));
        var due = now + _options.DeadlineFor(level);
        if (reopened || !@case.AwaitingTriage || @case.TriageDueAt is null || due < @case.TriageDueAt)
        {
            var trigger = reopened ? TriageTrigger.Reopened : TriageTrigger.RelocationAlert;
            events.Add(new TriageDeadlineSet(@case.Id, due, level, trigger, now));
        }

        return Decide(@case, events);
    }

    /// <summary>Changes other than re-opening are made to an open case.</summary>
    public static Refusal? MustBeOpen(TriageCase @case) => @case.Status == TriageStatus.Closed
        ? Refusal.Conflict("The case is closed. Re-open it first (POST /api/cases/{id}/reopen).")
        : null;

    /// <summary>
    /// Whether triage recommends a relocation after a change: the case is open and critical now, and
    /// was not before (lower, closed, or not yet known to triage). An officer decides; a case that
    /// stays critical is not recommended again with every change.
    /// </summary>
    public static bool RecommendsRelocation(TriageCase? before, TriageCase after) =>
        after.Status == TriageStatus.Open && after.Risk.Level == RiskLevel.Critical
        && (before is null || before.Risk.Level < RiskLevel.Critical || before.Status == TriageStatus.Closed);

    /// <summary>
    /// Whether the overdue detector must flag this case now: awaiting, past its deadline, not flagged
    /// for this deadline yet.
    /// </summary>
    public static bool IsNewlyOverdue(TriageCase @case, DateTimeOffset now) =>
        @case.Status == TriageStatus.Open && @case.AwaitingTriage && @case.TriageDueAt is { } due && due <= now
        && !@case.OverdueFlagged;

    /// <summary>A deadline passed without an assessment: flagged once (the detector may see the case again).</summary>
    public static Decided FlagOverdue(TriageCase @case, DateTimeOffset now) => IsNewlyOverdue(@case, now)
        ? new Decided([new TriageOverdueFlagged(@case.Id, @case.TriageDueAt!.Value, now)])
        : Decided.Nothing;

    /// <summary>The events, with the relocation they recommend once folded into the case.</summary>
    private static Decided Decide(TriageCase before, IReadOnlyList<object> events) =>
        new(events, Recommendation(before, before.After(events)));

    private static RelocationRecommendation? Recommendation(TriageCase? before, TriageCase after) =>
        RecommendsRelocation(before, after)
            ? new RelocationRecommendation(
                after.Risk.Level, after.Risk.Reasons.Where(r => r.Decisive).Select(r => r.Rule).ToArray())
            : null;
}
