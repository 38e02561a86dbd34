using System.Security.Claims;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Risk;

namespace Protection.Triage.Cases.Reading;

public sealed record RiskView(
    RiskLevel Level, RiskBasis Basis, string SetBy, DateTimeOffset SetAt, IReadOnlyList<RiskReason> Reasons);

public sealed record AssessmentView(
    DimensionScores Scores, DimensionNotes? Notes, RiskLevel ComputedLevel, string By, DateTimeOffset At);

public sealed record CoverageView(FrameworkArea Area, int Open, int Completed, int Cancelled, bool Covered);

/// <summary>
/// One change of the level in force; <see cref="Reason"/> is the supervisor's reason or the system's.
/// </summary>
public sealed record RiskChangeView(RiskLevel Level, RiskBasis Basis, string By, DateTimeOffset At, string? Reason);

public sealed record OverrideView(RiskLevel Level, string Reason, string By, DateTimeOffset At);

public sealed record MeasureView(
    Guid Id,
    FrameworkArea Area,
    string Type,
    string Owner,
    DateOnly DueOn,
    MeasureStatus Status,
    string? CancelReason,
    string AddedBy,
    DateTimeOffset AddedAt);

/// <summary>
/// A case as triage shows it: risk with its reasons and history, deadline, assignee, plan and coverage.
/// The texts staff wrote (notes, reasons) are opened here, from their sealed form, and read
/// "[erased]" once the case's personal data was erased.
/// </summary>
public sealed record TriageView(
    Guid CaseId,
    string Reference,
    string Country,
    TriageStatus Status,
    CaseOutcome? Outcome,
    RiskView Risk,
    IReadOnlyList<RiskChangeView> RiskHistory,
    OverrideView? Override,
    AssessmentView? Assessment,
    string? AssignedTo,
    string ResponsibleOfficer,
    bool AwaitingTriage,
    DateTimeOffset? TriageDueAt,
    bool Overdue,
    IReadOnlyList<ThreatSummary> Threats,
    IReadOnlyList<MeasureView> Measures,
    IReadOnlyList<CoverageView> Coverage,
    IReadOnlyList<RelocationAlertNote> RelocationAlerts,
    long Version) : IVersioned
{
    /// <summary>
    /// The case for <paramref name="reader"/>, its sealed texts opened with <paramref name="seal"/>
    /// (null: the case has no key, i.e. its personal data was erased, or nothing was ever sealed).
    /// Staff texts (assessment notes, the override reason, reasons for risk changes and cancelled
    /// measures) are opened for the case's caseworkers (of the owner, <paramref name="holding"/>) only;
    /// partners and auditors read "[withheld]".
    /// </summary>
    public static TriageView Of(
        TriageCase c, CaseHolding holding, CaseSeal? seal, ClaimsPrincipal reader, DateTimeOffset now)
    {
        var caseworker = CaseAccess.IsCaseworker(reader, c, holding);
        string? Text(SealedData? sealedData) =>
            sealedData is null ? null : caseworker ? CaseKeys.Text(seal, sealedData) : CaseKeys.Withheld;
        var overrideReason = c.Override is { } o && caseworker ? Text(o.Reason) : null;
        return new(
            c.Id,
            c.Reference,
            c.Country,
            c.Status,
            c.Outcome,
            new RiskView(c.Risk.Level, c.Risk.Basis, c.Risk.SetBy, c.Risk.SetAt, c.Risk.Reasons
                .Select(r => r.Rule == TriageCase.OverrideRule && overrideReason is not null
                    ? r with { Because = TriageCase.OverrideBecause(r.Level, overrideReason) }
                    : r)
                .ToArray()),
            c.RiskHistory
                .Select(h => new RiskChangeView(h.Level, h.Basis, h.By, h.At, h.SystemReason ?? Text(h.Reason)))
                .ToArray(),
            c.Override is { } current
                ? new OverrideView(current.Level, Text(current.Reason)!, current.By, current.At)
                : null,
            c.Assessment is { } a
                ? new AssessmentView(a.Scores, caseworker ? a.Notes?.Open(seal) : null, a.Computed.Level, a.By, a.At)
                : null,
            c.AssignedTo,
            c.ResponsibleOfficer,
            c.AwaitingTriage,
            c.TriageDueAt,
            c.AwaitingTriage && c.TriageDueAt <= now,
            c.Threats,
            c.Measures
                .Select(m => new MeasureView(
                    m.Id, m.Area, m.Type, m.Owner, m.DueOn, m.Status, Text(m.CancelReason), m.AddedBy, m.AddedAt))
                .ToArray(),
            Enum.GetValues<FrameworkArea>().Select(area =>
            {
                var inArea = c.Measures.Where(m => m.Area == area).ToArray();
                var open = inArea.Count(m => m.Status == MeasureStatus.Open);
                var completed = inArea.Count(m => m.Status == MeasureStatus.Completed);
                var cancelled = inArea.Count(m => m.Status == MeasureStatus.Cancelled);
                return new CoverageView(area, open, completed, cancelled, open + completed > 0);
            }).ToArray(),
            c.RelocationAlerts,
            c.Version);
    }
}
