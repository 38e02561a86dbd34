using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Intake.PersonalData;
using Protection.ServiceDefaults.PersonalData;

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

// What intake learned from triage (consumed integration events, recorded in the case's own stream so
// the case file, its stage and its history are rebuilt from events). TriageVersion orders them:
// events arrive on separate queues in no guaranteed order, and an older fact never overwrites a newer one.

/// <summary>Triage took the case in (or took it in again): it waits for an assessment until <see cref="DueAt"/>.</summary>
public sealed record TriageStartedNoted(Guid CaseId, RiskLevel Risk, DateTimeOffset DueAt, long TriageVersion, DateTimeOffset NotedAt);

/// <summary>The risk level in force changed; an assessment ends the wait for triage.</summary>
public sealed record RiskLevelNoted(Guid CaseId, RiskLevel Level, RiskBasis Basis, long TriageVersion, DateTimeOffset NotedAt);

public sealed record OfficerAssignmentNoted(Guid CaseId, string Officer, long TriageVersion, DateTimeOffset NotedAt);

public sealed record CaseClosureNoted(Guid CaseId, CaseOutcome Outcome, long TriageVersion, DateTimeOffset NotedAt);

public sealed record CaseReopeningNoted(Guid CaseId, RiskLevel Risk, DateTimeOffset DueAt, long TriageVersion, DateTimeOffset NotedAt);

/// <summary>Emergency assistance opened a grant request for the case.</summary>
public sealed record GrantOpenedNoted(Guid CaseId, Guid GrantId, DateTimeOffset NotedAt);

/// <summary>A grant request ended: rejected, withdrawn, or accounted for.</summary>
public sealed record GrantClosedNoted(Guid CaseId, Guid GrantId, DateTimeOffset NotedAt);

/// <summary>The relocation service opened a relocation for the case.</summary>
public sealed record RelocationOpenedNoted(Guid CaseId, Guid RelocationId, DateTimeOffset NotedAt);

/// <summary>A relocation was closed (after the return or resettlement, or cancelled before the move).</summary>
public sealed record RelocationClosedNoted(Guid CaseId, Guid RelocationId, DateTimeOffset NotedAt);

/// <summary>An admin erased the case's personal data: its key was destroyed in the same transaction.</summary>
public sealed record PersonalDataErased(Guid CaseId, Protection.Contracts.Cases.ErasureBasis Basis, string By, DateTimeOffset At);

/// <summary>The triage version at which each fact intake holds was last set.</summary>
public sealed record TriageVersions(long Risk = 0, long Assignment = 0, long Deadline = 0, long Status = 0);

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
    int PeopleAtRisk,
    Consent Consent,
    SealedData Defender,
    IReadOnlyList<RecordedThreat> Threats,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastChangedAt)
{
    /// <summary>The level in force in triage; null until triage took the case in.</summary>
    public RiskLevel? Risk { get; init; }

    /// <summary>The officer triage assigned; until then the officer who opened the case is responsible.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>The first-triage deadline while the case waits for an assessment.</summary>
    public DateTimeOffset? TriageDueAt { get; init; }

    public TriageVersions Seen { get; init; } = new();

    public bool ReachedTriage { get; init; }

    /// <summary>Grants ever opened and grants ended, by id: kept as sets because their events arrive in any order.</summary>
    public IReadOnlyList<Guid> GrantsOpened { get; init; } = [];

    public IReadOnlyList<Guid> GrantsClosed { get; init; } = [];

    /// <summary>Relocations ever opened and relocations closed, by id (sets, for the same reason as grants).</summary>
    public IReadOnlyList<Guid> RelocationsOpened { get; init; } = [];

    public IReadOnlyList<Guid> RelocationsClosed { get; init; } = [];

    /// <summary>When the case's personal data was erased; null while it exists.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>The officer responsible for the case (who, among officers, may read and act on it).</summary>
    public string ResponsibleOfficer => AssignedTo ?? OpenedBy;

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

    public Case Apply(TriageStartedNoted e) => InTriage(this) with
    {
        Risk = e.TriageVersion > Seen.Risk ? e.Risk : Risk,
        TriageDueAt = e.TriageVersion > Seen.Deadline ? e.DueAt : TriageDueAt,
        Seen = Seen with { Risk = Math.Max(Seen.Risk, e.TriageVersion), Deadline = Math.Max(Seen.Deadline, e.TriageVersion) },
    };

    public Case Apply(RiskLevelNoted e) => InTriage(this) with
    {
        Risk = e.TriageVersion > Seen.Risk ? e.Level : Risk,
        TriageDueAt = e.Basis == RiskBasis.Assessment && e.TriageVersion > Seen.Deadline ? null : TriageDueAt,
        Seen = Seen with
        {
            Risk = Math.Max(Seen.Risk, e.TriageVersion),
            Deadline = e.Basis == RiskBasis.Assessment ? Math.Max(Seen.Deadline, e.TriageVersion) : Seen.Deadline,
        },
    };

    public Case Apply(OfficerAssignmentNoted e) => e.TriageVersion <= Seen.Assignment
        ? this
        : InTriage(this) with { AssignedTo = e.Officer, Seen = Seen with { Assignment = e.TriageVersion } };

    public Case Apply(CaseClosureNoted e) => InTriage(this) with
    {
        Status = e.TriageVersion > Seen.Status ? CaseStatus.Closed : Status,
        TriageDueAt = e.TriageVersion > Seen.Deadline ? null : TriageDueAt,
        Seen = Seen with { Status = Math.Max(Seen.Status, e.TriageVersion), Deadline = Math.Max(Seen.Deadline, e.TriageVersion) },
    };

    public Case Apply(CaseReopeningNoted e) => InTriage(this) with
    {
        Status = e.TriageVersion > Seen.Status ? CaseStatus.Open : Status,
        TriageDueAt = e.TriageVersion > Seen.Deadline ? e.DueAt : TriageDueAt,
        Seen = Seen with { Status = Math.Max(Seen.Status, e.TriageVersion), Deadline = Math.Max(Seen.Deadline, e.TriageVersion) },
    };

    public Case Apply(GrantOpenedNoted e) => (this with { GrantsOpened = [.. GrantsOpened, e.GrantId] }).Staged();

    public Case Apply(GrantClosedNoted e) => (this with { GrantsClosed = [.. GrantsClosed, e.GrantId] }).Staged();

    public Case Apply(RelocationOpenedNoted e) => (this with { RelocationsOpened = [.. RelocationsOpened, e.RelocationId] }).Staged();

    public Case Apply(RelocationClosedNoted e) => (this with { RelocationsClosed = [.. RelocationsClosed, e.RelocationId] }).Staged();

    public Case Apply(PersonalDataErased e) => this with { ErasedAt = e.At, LastChangedAt = e.At };

    /// <summary>Anything triage says about the case means it reached triage.</summary>
    private static Case InTriage(Case c) => (c with { ReachedTriage = true }).Staged();

    /// <summary>The furthest active stage: relocation while one is in progress, else emergency assistance while a grant is open, else triage once reached.</summary>
    private Case Staged() => this with
    {
        Stage = RelocationsOpened.Except(RelocationsClosed).Any() ? CaseStage.Relocation
            : GrantsOpened.Except(GrantsClosed).Any() ? CaseStage.EmergencyAssistance
            : ReachedTriage ? CaseStage.Triage
            : CaseStage.Intake,
    };
}
