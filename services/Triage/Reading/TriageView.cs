using System.Security.Claims;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Triage.Cases;
using Protection.Triage.Risk;

namespace Protection.Triage.Reading;

public sealed record RiskView(RiskLevel Level, RiskBasis Basis, string SetBy, DateTimeOffset SetAt, IReadOnlyList<RiskReason> Reasons);

public sealed record AssessmentView(DimensionScores Scores, DimensionNotes? Notes, RiskLevel ComputedLevel, string By, DateTimeOffset At);

public sealed record CoverageView(FrameworkArea Area, int Open, int Completed, int Cancelled, bool Covered);

/// <summary>A case as triage shows it: risk with its reasons and history, deadline, assignee, plan and coverage.</summary>
public sealed record TriageView(
    Guid CaseId,
    string Reference,
    string Country,
    TriageStatus Status,
    CaseOutcome? Outcome,
    RiskView Risk,
    IReadOnlyList<RiskChange> RiskHistory,
    SupervisorOverride? Override,
    AssessmentView? Assessment,
    string? AssignedTo,
    string ResponsibleOfficer,
    bool AwaitingTriage,
    DateTimeOffset? TriageDueAt,
    bool Overdue,
    IReadOnlyList<ThreatSummary> Threats,
    IReadOnlyList<Measure> Measures,
    IReadOnlyList<CoverageView> Coverage,
    IReadOnlyList<RelocationAlertNote> RelocationAlerts,
    long Version)
{
    /// <summary>Assessment notes are shown to the case's officer and supervisors only.</summary>
    public static TriageView Of(TriageCase c, ClaimsPrincipal reader, DateTimeOffset now) => new(
        c.Id,
        c.Reference,
        c.Country,
        c.Status,
        c.Outcome,
        new RiskView(c.Risk.Level, c.Risk.Basis, c.Risk.SetBy, c.Risk.SetAt, c.Risk.Reasons),
        c.RiskHistory,
        c.Override,
        c.Assessment is { } a
            ? new AssessmentView(a.Scores, CaseAccess.IsCaseworker(reader, c) ? a.Notes : null, a.Computed.Level, a.By, a.At)
            : null,
        c.AssignedTo,
        c.ResponsibleOfficer,
        c.AwaitingTriage,
        c.TriageDueAt,
        c.AwaitingTriage && c.TriageDueAt <= now,
        c.Threats,
        c.Measures,
        Enum.GetValues<FrameworkArea>().Select(area =>
        {
            var inArea = c.Measures.Where(m => m.Area == area).ToArray();
            var open = inArea.Count(m => m.Status == MeasureStatus.Open);
            var completed = inArea.Count(m => m.Status == MeasureStatus.Completed);
            return new CoverageView(area, open, completed, inArea.Count(m => m.Status == MeasureStatus.Cancelled), open + completed > 0);
        }).ToArray(),
        c.RelocationAlerts,
        c.Version);
}
