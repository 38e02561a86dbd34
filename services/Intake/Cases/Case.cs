using Protection.Contracts.Cases;
using Protection.Intake.PersonalData;

namespace Protection.Intake.Cases;

// Intake's own events (stored in its Marten stream, never published as they are: they hold sealed
// personal data). The integration events in Protection.Contracts are derived from them.

/// <summary>A threat as intake records it: the non-identifying facts in clear, the account sealed.</summary>
public sealed record RecordedThreat(
    Guid ThreatId,
    ThreatType Type,
    PerpetratorCategory Perpetrator,
    DateOnly OccurredOn,
    string Country,
    string? Region,
    SealedData Details);

/// <summary>What the defender consented to, and who recorded the consent.</summary>
public sealed record Consent(bool DataProcessing, bool ShareWithFunders, bool ShareWithRelocationHost)
{
    public ConsentScopes Scopes => new(ShareWithFunders, ShareWithRelocationHost);
}

public sealed record CaseOpened(
    Guid CaseId,
    string Reference,
    SealedData Defender,
    string Country,
    string? Region,
    int PeopleAtRisk,
    Consent Consent,
    IReadOnlyList<RecordedThreat> Threats,
    string OpenedBy,
    DateTimeOffset OpenedAt);

public sealed record ThreatReported(
    Guid CaseId,
    RecordedThreat Threat,
    string ReportedBy,
    DateTimeOffset ReportedAt);

public enum CaseStatus
{
    Open,
    Closed,
}

/// <summary>The furthest active stage; derived from events, never set by hand.</summary>
public enum CaseStage
{
    Intake,
    Triage,
    EmergencyAssistance,
    Relocation,
}

/// <summary>
/// The case as intake knows it: decision state and read model in one, projected inline so a
/// reader sees their own write at once. Personal data stays sealed in it; it is opened only when
/// an authorised reader asks for the case file.
/// </summary>
public sealed record Case(
    Guid Id,
    string Reference,
    CaseStatus Status,
    CaseStage Stage,
    string Country,
    string? Region,
    int PeopleAtRisk,
    Consent Consent,
    SealedData Defender,
    IReadOnlyList<RecordedThreat> Threats,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastChangedAt)
{
    /// <summary>The stream version this state was built from; the case's ETag.</summary>
    public long Version { get; set; }

    /// <summary>Threat types reported so far, for filtering the case list without opening sealed data.</summary>
    public IReadOnlyList<ThreatType> ThreatTypes => Threats.Select(t => t.Type).Distinct().Order().ToArray();

    public static Case Create(CaseOpened opened) => new(
        opened.CaseId,
        opened.Reference,
        CaseStatus.Open,
        CaseStage.Intake,
        opened.Country,
        opened.Region,
        opened.PeopleAtRisk,
        opened.Consent,
        opened.Defender,
        opened.Threats,
        opened.OpenedBy,
        opened.OpenedAt,
        opened.OpenedAt);

    public Case Apply(ThreatReported reported) => this with
    {
        Threats = [.. Threats, reported.Threat],
        LastChangedAt = reported.ReportedAt,
    };
}
