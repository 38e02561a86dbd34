using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Intake.PersonalData;
using Protection.Contracts;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.PersonalData;
using Published = Protection.Contracts.Cases;

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
    SealedData Details)
{
    public string Describe() => $"{Type} by {Perpetrator} on {OccurredOn:yyyy-MM-dd} in {Country}";

    public ThreatSummary Summary() => new(ThreatId, Type, Perpetrator, OccurredOn, Country);
}

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
    DateTimeOffset OpenedAt) : IStartOf<Case>, IPublishedAs<Case>
{
    public Case Start() => new(
        CaseId, Reference, CaseStatus.Open, CaseStage.Intake, Country, PeopleAtRisk, Consent, Defender, Threats,
        OpenedBy, OpenedAt, OpenedAt);

    public string Describe() =>
        $"Case {Reference} opened in {Country}: {Threats.Count} threat(s): {string.Join("; ", Threats.Select(t => t.Describe()))}; "
        + $"{PeopleAtRisk} at risk; consent to share with funders {YesNo(Consent.ShareWithFunders)}, "
        + $"with a relocation host {YesNo(Consent.ShareWithRelocationHost)}";

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
    [
        new Published.CaseOpened(
            CaseId, Reference, Country, Threats.Select(t => t.Summary()).ToArray(), Consent.Scopes, PeopleAtRisk, OpenedAt, metadata),
    ];

    private static string YesNo(bool value) => value ? "yes" : "no";
}

public sealed record ThreatReported(
    Guid CaseId,
    RecordedThreat Threat,
    string ReportedBy,
    DateTimeOffset ReportedAt) : IEventOf<Case>, IPublishedAs<Case>
{
    public Case Apply(Case state) => state with { Threats = [.. state.Threats, Threat], LastChangedAt = ReportedAt };

    public string Describe() => $"Threat reported: {Threat.Describe()}";

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
        [new Published.ThreatReported(CaseId, after.Reference, Threat.Summary(), metadata)];
}

// What intake learned from triage (consumed integration events, recorded in the case's own stream so
// the case file, its stage and its history are rebuilt from events). TriageVersion orders them:
// events arrive on separate queues in no guaranteed order, and an older fact never overwrites a newer one.

/// <summary>Triage took the case in (or took it in again): it waits for an assessment until <see cref="DueAt"/>.</summary>
public sealed record TriageStartedNoted(Guid CaseId, RiskLevel Risk, DateTimeOffset DueAt, long TriageVersion, DateTimeOffset NotedAt)
    : IEventOf<Case>
{
    public Case Apply(Case state) => Case.InTriage(state) with
    {
        Risk = TriageVersion > state.Seen.Risk ? Risk : state.Risk,
        TriageDueAt = TriageVersion > state.Seen.Deadline ? DueAt : state.TriageDueAt,
        Seen = state.Seen with
        {
            Risk = Math.Max(state.Seen.Risk, TriageVersion),
            Deadline = Math.Max(state.Seen.Deadline, TriageVersion),
        },
    };

    public string Describe() => $"Triage took the case in at {Risk} risk; first triage due {DueAt:u}";
}

/// <summary>The risk level in force changed; an assessment ends the wait for triage.</summary>
public sealed record RiskLevelNoted(Guid CaseId, RiskLevel Level, RiskBasis Basis, long TriageVersion, DateTimeOffset NotedAt)
    : IEventOf<Case>
{
    public Case Apply(Case state) => Case.InTriage(state) with
    {
        Risk = TriageVersion > state.Seen.Risk ? Level : state.Risk,
        TriageDueAt = Basis == RiskBasis.Assessment && TriageVersion > state.Seen.Deadline ? null : state.TriageDueAt,
        Seen = state.Seen with
        {
            Risk = Math.Max(state.Seen.Risk, TriageVersion),
            Deadline = Basis == RiskBasis.Assessment ? Math.Max(state.Seen.Deadline, TriageVersion) : state.Seen.Deadline,
        },
    };

    public string Describe() => $"Risk in force is {Level} ({Basis})";
}

public sealed record OfficerAssignmentNoted(Guid CaseId, string Officer, long TriageVersion, DateTimeOffset NotedAt)
    : IEventOf<Case>
{
    public Case Apply(Case state) => TriageVersion <= state.Seen.Assignment
        ? state
        : Case.InTriage(state) with { AssignedTo = Officer, Seen = state.Seen with { Assignment = TriageVersion } };

    public string Describe() => $"Assigned to {Officer}";
}

public sealed record CaseClosureNoted(Guid CaseId, CaseOutcome Outcome, long TriageVersion, DateTimeOffset NotedAt)
    : IEventOf<Case>
{
    public Case Apply(Case state) => Case.InTriage(state) with
    {
        Status = TriageVersion > state.Seen.Status ? CaseStatus.Closed : state.Status,
        TriageDueAt = TriageVersion > state.Seen.Deadline ? null : state.TriageDueAt,
        Seen = state.Seen with
        {
            Status = Math.Max(state.Seen.Status, TriageVersion),
            Deadline = Math.Max(state.Seen.Deadline, TriageVersion),
        },
    };

    public string Describe() => $"Case closed: {Outcome}";
}

public sealed record CaseReopeningNoted(Guid CaseId, RiskLevel Risk, DateTimeOffset DueAt, long TriageVersion, DateTimeOffset NotedAt)
    : IEventOf<Case>
{
    public Case Apply(Case state) => Case.InTriage(state) with
    {
        Status = TriageVersion > state.Seen.Status ? CaseStatus.Open : state.Status,
        TriageDueAt = TriageVersion > state.Seen.Deadline ? DueAt : state.TriageDueAt,
        Seen = state.Seen with
        {
            Status = Math.Max(state.Seen.Status, TriageVersion),
            Deadline = Math.Max(state.Seen.Deadline, TriageVersion),
        },
    };

    public string Describe() => $"Case re-opened at {Risk} risk; triage due {DueAt:u}";
}

/// <summary>Emergency assistance opened a grant request for the case.</summary>
public sealed record GrantOpenedNoted(Guid CaseId, Guid GrantId, DateTimeOffset NotedAt) : IEventOf<Case>
{
    public Case Apply(Case state) => (state with { GrantsOpened = [.. state.GrantsOpened, GrantId] }).Staged();

    public string Describe() => $"Grant {GrantId} requested";
}

/// <summary>A grant request ended: rejected, withdrawn, or accounted for.</summary>
public sealed record GrantClosedNoted(Guid CaseId, Guid GrantId, DateTimeOffset NotedAt) : IEventOf<Case>
{
    public Case Apply(Case state) => (state with { GrantsClosed = [.. state.GrantsClosed, GrantId] }).Staged();

    public string Describe() => $"Grant {GrantId} ended";
}

/// <summary>The relocation service opened a relocation for the case.</summary>
public sealed record RelocationOpenedNoted(Guid CaseId, Guid RelocationId, DateTimeOffset NotedAt) : IEventOf<Case>
{
    public Case Apply(Case state) =>
        (state with { RelocationsOpened = [.. state.RelocationsOpened, RelocationId] }).Staged();

    public string Describe() => $"Relocation {RelocationId} requested";
}

/// <summary>A relocation was closed (after the return or resettlement, or cancelled before the move).</summary>
public sealed record RelocationClosedNoted(Guid CaseId, Guid RelocationId, DateTimeOffset NotedAt) : IEventOf<Case>
{
    public Case Apply(Case state) =>
        (state with { RelocationsClosed = [.. state.RelocationsClosed, RelocationId] }).Staged();

    public string Describe() => $"Relocation {RelocationId} closed";
}

/// <summary>An admin erased the case's personal data: its key was destroyed in the same transaction.</summary>
public sealed record PersonalDataErased(Guid CaseId, ErasureBasis Basis, string By, DateTimeOffset At)
    : IEventOf<Case>, IPublishedAs<Case>
{
    public Case Apply(Case state) => state with { ErasedAt = At, LastChangedAt = At };

    public string Describe() => $"Personal data erased ({Basis}); the case key was destroyed";

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
        [new CaseErased(CaseId, after.Reference, Basis, At, metadata)];
}

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

    /// <summary>Anything triage says about the case means it reached triage.</summary>
    internal static Case InTriage(Case c) => (c with { ReachedTriage = true }).Staged();

    /// <summary>The furthest active stage: relocation while one is in progress, else emergency assistance while a grant is open, else triage once reached.</summary>
    internal Case Staged() => this with
    {
        Stage = RelocationsOpened.Except(RelocationsClosed).Any() ? CaseStage.Relocation
            : GrantsOpened.Except(GrantsClosed).Any() ? CaseStage.EmergencyAssistance
            : ReachedTriage ? CaseStage.Triage
            : CaseStage.Intake,
    };
}
