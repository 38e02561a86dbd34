using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Intake.PersonalData;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Published = Protection.Contracts.Cases;

namespace Protection.Intake.Cases;

// Intake's own decisions, the only events of a case's stream: what an officer or an admin did in
// intake. Never published as they are (they hold sealed personal data): the integration events in
// Protection.Contracts are derived from them. What other services decide is learned, not recorded
// here: see CaseProgress.

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

/// <summary>
/// An officer opened the case file: the defender sealed, consent, the first threats. Stored as
/// <c>case_opened</c> (its name before the contract of the same name was told apart from it).
/// </summary>
public sealed record CaseFileOpened(
    Guid CaseId,
    string Reference,
    SealedData Defender,
    string Country,
    int PeopleAtRisk,
    Consent Consent,
    IReadOnlyList<RecordedThreat> Threats,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    string? Organisation = null) : IStartOf<Case>, IPublishedAs<Case>
{
    public Case Start() => new(
        CaseId, Reference, Country, PeopleAtRisk, Consent, Defender, Threats, OpenedBy, OpenedAt, OpenedAt)
    {
        Organisation = Organisation,
    };

    public string Describe() =>
        $"Case {Reference} opened in {Country}: {Threats.Count} threat(s): "
        + $"{string.Join("; ", Threats.Select(t => t.Describe()))}; {PeopleAtRisk} at risk; "
        + $"consent to share with funders {YesNo(Consent.ShareWithFunders)}, "
        + $"with a relocation host {YesNo(Consent.ShareWithRelocationHost)}";

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
    [
        new Published.CaseOpened(
            CaseId,
            Reference,
            Country,
            Threats.Select(t => t.Summary()).ToArray(),
            Consent.Scopes,
            PeopleAtRisk,
            OpenedAt,
            metadata)
        {
            Organisation = Organisation,
        },
    ];

    private static string YesNo(bool value) => value ? "yes" : "no";
}

/// <summary>
/// An officer added a threat to the case file, its account sealed. Stored as <c>threat_reported</c>
/// (its name before the contract of the same name was told apart from it).
/// </summary>
public sealed record ThreatRecorded(
    Guid CaseId,
    RecordedThreat Threat,
    string ReportedBy,
    DateTimeOffset ReportedAt) : IEventOf<Case>, IPublishedAs<Case>
{
    public Case Apply(Case state) =>
        state with { Threats = [.. state.Threats, Threat], LastChangedAt = ReportedAt };

    public string Describe() => $"Threat reported: {Threat.Describe()}";

    public IEnumerable<IIntegrationEvent> Published(Case after, long version, EventMetadata metadata) =>
        [new Published.ThreatReported(CaseId, after.Reference, Threat.Summary(), metadata)];
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

/// <summary>
/// The case file as intake decided it, folded from its own events and projected inline so an
/// officer reads their own write at once. Personal data stays sealed in it; it is opened only when
/// an authorised reader asks for the case file. What other services decided (stage, risk,
/// assignee, status) is in <see cref="CaseProgress"/>.
/// </summary>
public sealed record Case(
    Guid Id,
    string Reference,
    string Country,
    int PeopleAtRisk,
    Consent Consent,
    SealedData Defender,
    IReadOnlyList<RecordedThreat> Threats,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastChangedAt)
{
    /// <summary>When the case's personal data was erased; null while it exists.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>
    /// The organisation that owns the case: its opener's, until a transfer moves it. Null only for a case
    /// opened before organisations existed, which belongs to no one.
    /// </summary>
    public string? Organisation { get; init; }

    /// <summary>The organisations the case is shared with after accepted referrals; they read, never act.</summary>
    public IReadOnlyList<CasePartner> Partners { get; init; } = [];

    /// <summary>Every referral of the case, oldest first, whatever became of it.</summary>
    public IReadOnlyList<Referral> Referrals { get; init; } = [];

    /// <summary>
    /// The stream version this state was built from: the case's ETag. Only intake's own decisions
    /// move it, so an officer's <c>If-Match</c> does not go stale because another service acted.
    /// </summary>
    public long Version { get; set; }

    /// <summary>Threat types reported so far, for filtering the case list without opening sealed data.</summary>
    public IReadOnlyList<ThreatType> ThreatTypes => Threats.Select(t => t.Type).Distinct().Order().ToArray();

    /// <summary>The referral <paramref name="id"/> of this case, or null.</summary>
    public Referral? ReferralOf(Guid id) => Referrals.FirstOrDefault(r => r.Id == id);

    /// <summary>The case with the referral <paramref name="id"/> changed (as it was when it has none).</summary>
    public Case WithReferral(Guid id, Func<Referral, Referral> change) =>
        this with { Referrals = [.. Referrals.Select(r => r.Id == id ? change(r) : r)] };
}
