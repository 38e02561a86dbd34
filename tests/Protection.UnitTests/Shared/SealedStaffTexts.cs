using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.Disbursing;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.EmergencyAssistance.Grants.Reporting;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Cases;
using Protection.Triage.Cases.Reading;
using Protection.Triage.Risk;
using Protection.UnitTests.Triage;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;

namespace Protection.UnitTests.Shared;

/// <summary>
/// What staff write as free text in triage and emergency assistance (notes, reasons, purposes,
/// reports) is kept only sealed with the case's key, in the events and in the state; the read models
/// open it with that key and show "[erased]" once the key is gone (erasure) or is another one.
/// </summary>
public sealed class SealedStaffTexts
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Texts naming a defender and a place, unique enough to be searched for.
    private const string OverrideReason = "Amina Testperson was seen near Calle 5 #12-34 by the same men.";
    private const string PhysicalNote = "Amina Testperson followed home to Calle 5 on two evenings.";
    private const string CancelReason = "Amina Testperson moved to her sister's in Popayán.";
    private const string ClosingNote = "Amina Testperson safe in Popayán since May.";
    private const string ReopenReason = "Amina Testperson threatened again by phone in Popayán.";

    private static readonly string[] TriageTexts =
        [OverrideReason, PhysicalNote, CancelReason, ClosingNote, ReopenReason];

    private readonly PersonalDataVault _vault = new(RandomNumberGenerator.GetBytes(32));
    private readonly TriageDecisions _decisions = new(Options.Create(ShippedTriageOptions.Load()));
    private readonly Guid _caseId = Guid.CreateVersion7();

    private static readonly ClaimsPrincipal Supervisor = Reader("sam", "supervisor");

    /// <summary>The readers' organisation owns the cases here.</summary>
    private CaseHolding HeldByA => new() { Id = _caseId, Owner = "org-a", Version = 1 };

    private static ClaimsPrincipal Reader(string user, string role, string organisation = "org-a") =>
        new(new ClaimsIdentity(
            [
                new Claim("sub", user), new Claim("role", role), new Claim("org", organisation),
                new Claim("audits", organisation),
            ],
            "test",
            "sub",
            "role"));

    private CaseSeal NewSeal(Guid caseId) => new(_vault, caseId, _vault.NewCaseKey(caseId, Now).DataKey);

    private CaseTakenIn TakeIn() => _decisions
        .TakeIn(_caseId, "PC-2026-000001", "CO", "olivia", Now, [], 1, new ConsentScopes(false, false), Now)
        .Events.OfType<CaseTakenIn>().Single();

    /// <summary>
    /// A case with every kind of text triage keeps: an override, assessment notes, a cancelled measure,
    /// a closing and a re-opening.
    /// </summary>
    private (TriageCase Case, IReadOnlyList<object> Events) TriageCaseWithTexts(CaseSeal seal)
    {
        var events = new List<object>();
        var @case = TakeIn().Start();
        void Apply(IEnumerable<object> happened)
        {
            foreach (var e in happened)
            {
                events.Add(e);
                @case = @case.After([e]);
            }
        }

        Apply(_decisions.Override(@case, RiskLevel.Critical, seal.Seal(OverrideReason), "sam", Now.AddMinutes(5))
            .Value!.Events);
        var notes = SealedNotes.Seal(new DimensionNotes(null, PhysicalNote, null, null, null), seal);
        Apply(_decisions.Assess(@case, new DimensionScores(0, 0, 3, 0, 0), notes, "olivia", Now.AddMinutes(10))
            .Value!.Events);
        var measureId = Guid.CreateVersion7();
        Apply([new MeasureAdded(
            _caseId, measureId, FrameworkArea.ThreatsOnTheGround, "safe-house", "partner:casa",
            new DateOnly(2026, 12, 1), "olivia", Now.AddMinutes(20))]);
        Apply([new MeasureCancelled(_caseId, measureId, seal.Seal(CancelReason), "olivia", Now.AddMinutes(30))]);
        Apply([new CaseClosedWithOutcome(
            _caseId, CaseOutcome.RiskReduced, seal.Seal(ClosingNote), "olivia", Now.AddHours(1))]);
        Apply(_decisions.Reopen(@case, seal.Seal(ReopenReason), "olivia", Now.AddHours(2)).Value!.Events);
        return (@case, events);
    }

    [Fact]
    public void Triage_keeps_notes_and_reasons_only_sealed_in_its_events_and_its_state()
    {
        var (@case, events) = TriageCaseWithTexts(NewSeal(_caseId));

        var stored = JsonSerializer.Serialize(events, Json) + JsonSerializer.Serialize(@case, Json);
        foreach (var text in TriageTexts)
        {
            stored.ShouldNotContain(text);
        }

        stored.ShouldNotContain("Amina");
        stored.ShouldNotContain("Popayán");
        events.OfType<RiskOverridden>().ShouldHaveSingleItem().Reason.ShouldNotBeNull();
        events.OfType<CaseReopenedForTriage>().ShouldHaveSingleItem().Reason.ShouldNotBeNull();
    }

    [Fact]
    public void The_triage_view_opens_every_sealed_text_with_the_case_key()
    {
        var seal = NewSeal(_caseId);
        var (@case, _) = TriageCaseWithTexts(seal);

        var view = TriageView.Of(@case, HeldByA, seal, Supervisor, Now.AddHours(3));

        view.Override.ShouldNotBeNull().Reason.ShouldBe(OverrideReason);
        view.RiskHistory.Select(h => h.Reason).ShouldContain(OverrideReason);
        var overrideReason = view.Risk.Reasons.Single(r => r.Rule == TriageCase.OverrideRule);
        overrideReason.Because.ShouldBe($"A supervisor set the level to Critical: {OverrideReason}");
        var notes = view.Assessment.ShouldNotBeNull().Notes.ShouldNotBeNull();
        notes.Physical.ShouldBe(PhysicalNote);
        notes.Political.ShouldBeNull();
        view.Measures.ShouldHaveSingleItem().CancelReason.ShouldBe(CancelReason);
    }

    [Fact]
    public void Without_the_case_key_every_sealed_text_reads_erased_and_nothing_else_changes()
    {
        var seal = NewSeal(_caseId);
        var (@case, _) = TriageCaseWithTexts(seal);
        var before = TriageView.Of(@case, HeldByA, seal, Supervisor, Now.AddHours(3));

        // Erased: the key is gone. A key made for the case after the erasure does not open what was
        // sealed before either.
        foreach (var reader in new CaseSeal?[] { null, NewSeal(_caseId) })
        {
            var view = TriageView.Of(@case, HeldByA, reader, Supervisor, Now.AddHours(3));

            view.Override.ShouldNotBeNull().Reason.ShouldBe(CaseKeys.Erased);
            view.RiskHistory.Single(h => h.Basis == RiskBasis.Override).Reason.ShouldBe(CaseKeys.Erased);
            view.RiskHistory.Where(h => h.Basis != RiskBasis.Override).ShouldAllBe(h => h.Reason == null);
            view.Risk.Reasons.Single(r => r.Rule == TriageCase.OverrideRule).Because
                .ShouldBe($"A supervisor set the level to Critical: {CaseKeys.Erased}");
            var notes = view.Assessment.ShouldNotBeNull().Notes.ShouldNotBeNull();
            notes.Physical.ShouldBe(CaseKeys.Erased);
            new[] { notes.EmotionalCognitive, notes.Spiritual, notes.Economic, notes.Political }
                .ShouldAllBe(n => n == null); // never written
            view.Measures.ShouldHaveSingleItem().CancelReason.ShouldBe(CaseKeys.Erased);
            JsonSerializer.Serialize(view, Json).ShouldNotContain("Amina");

            (view.Risk.Level, view.Status, view.RiskHistory.Count, view.Version)
                .ShouldBe((before.Risk.Level, before.Status, before.RiskHistory.Count, before.Version));
        }
    }

    [Fact]
    public void A_value_sealed_for_one_case_does_not_open_with_another_cases_key()
    {
        var seal = NewSeal(_caseId);
        var (@case, _) = TriageCaseWithTexts(seal);

        TriageView.Of(@case, HeldByA, NewSeal(Guid.CreateVersion7()), Supervisor, Now).Override!.Reason
            .ShouldBe(CaseKeys.Erased);
    }

    [Fact]
    public void A_system_reason_in_the_risk_history_is_not_sealed_and_stays_after_erasure()
    {
        var closed = TakeIn().Start()
            .After([new CaseClosedWithOutcome(_caseId, CaseOutcome.RiskReduced, null, "olivia", Now)]);

        var events = _decisions.RaiseRelocationAlert(
            closed, Guid.CreateVersion7(), RelocationAlert.EmergencyCheckIn, null, Now.AddDays(1)).Events;
        var after = closed.After(events);

        var reopened = events.OfType<CaseReopenedForTriage>().ShouldHaveSingleItem();
        reopened.Reason.ShouldBeNull();
        reopened.SystemReason.ShouldNotBeNullOrWhiteSpace();
        TriageView.Of(after, HeldByA, null, Supervisor, Now.AddDays(1)).RiskHistory[^1].Reason
            .ShouldStartWith("The relocated defender checked in with an emergency");
    }

    // Emergency assistance

    private const string Purpose = "Reinforced door for Amina Testperson's flat at Calle 5 #12-34.";
    private const string RejectionReason = "Amina Testperson already has a door from the mayor of Popayán.";
    private const string Summary = "Door fitted at Calle 5 #12-34 for Amina Testperson.";

    private static readonly AssistanceOptions GrantOptions = new();

    private CaseRecord GrantCase() => new()
    {
        Id = _caseId,
        Reference = "PC-2026-000001",
        Country = "CO",
        ThreatTypes = [ThreatType.Physical],
        Risk = RiskLevel.High,
        OpenedBy = "olivia",
        Organisation = "org-a",
        Consent = new ConsentScopes(true, true),
    };

    /// <summary>What <paramref name="reader"/> sees of <paramref name="grant"/> of <see cref="GrantCase"/>.</summary>
    private GrantSight Sight(ClaimsPrincipal reader, Grant grant) =>
        GrantAccess.SightOf(reader, grant, grant.FundOrganisation, GrantCase()).Value.ShouldNotBeNull();

    private Grant RequestedGrant(CaseSeal seal, Fund fund)
    {
        var filed = RequestGrant.Decide(
            GrantOptions, GrantCase(), fund, 1_000m, "EUR", GrantCategory.PhysicalSecurity, seal.Seal(Purpose), 2,
            "olivia", Now);
        filed.Refusal.ShouldBeNull();
        return filed.Value.ShouldNotBeNull().Start();
    }

    private static Fund NewFund() =>
        new FundCreated(Guid.CreateVersion7(), "Rapid response", "EUR", 20_000m, "admin", Now.AddDays(-30), "org-a")
            .Start();

    /// <summary>The events of a change the rules accepted.</summary>
    private static IReadOnlyList<IEventOf<Grant>> Events(Outcome<GrantChange> outcome)
    {
        outcome.Refusal.ShouldBeNull();
        return outcome.Value.ShouldNotBeNull().GrantEvents;
    }

    private static Grant Fold(Grant grant, Outcome<GrantChange> outcome) =>
        Events(outcome).Aggregate(grant, (state, e) => e.Apply(state));

    [Fact]
    public void A_grant_keeps_its_purpose_rejection_reason_and_report_sealed_and_its_view_opens_them_with_the_case_key()
    {
        var seal = NewSeal(_caseId);
        var fund = NewFund();
        var rejected = RequestedGrant(seal, fund);
        var rejection = DecideGrant.Reject(rejected, "funder-amara", RejectionReason, seal.Seal, Now);
        rejected = Fold(rejected, rejection);

        var reported = RequestedGrant(seal, fund);
        var changes = new List<Outcome<GrantChange>>
        {
            DecideGrant.Approve(GrantOptions, reported, fund, "funder-amara", null, Now),
        };
        reported = Fold(reported, changes[^1]);
        changes.Add(DisburseGrant.Decide(GrantOptions, reported, 1_000m, "funder-amara", Now));
        reported = Fold(reported, changes[^1]);
        changes.Add(SubmitReport.Decide(reported, 950m, seal.Seal(Summary), "olivia", Now.AddDays(10)));
        reported = Fold(reported, changes[^1]);

        var stored = JsonSerializer.Serialize(Events(rejection), Json)
            + JsonSerializer.Serialize(changes.SelectMany(Events), Json)
            + JsonSerializer.Serialize(rejected, Json) + JsonSerializer.Serialize(reported, Json);
        stored.ShouldNotContain("Amina");
        stored.ShouldNotContain("Calle 5");

        var rejectedView = GrantView.Of(rejected, seal, GrantOptions, Now, Sight(Supervisor, rejected));
        rejectedView.Purpose.ShouldBe(Purpose);
        rejectedView.Rejection.ShouldNotBeNull().Reason.ShouldBe(RejectionReason);
        GrantView.Of(reported, seal, GrantOptions, Now, Sight(Supervisor, reported)).Report.ShouldNotBeNull()
            .Summary.ShouldBe(Summary);
    }

    [Fact]
    public void After_erasure_a_grant_reads_erased_where_staff_wrote_and_keeps_its_amounts()
    {
        var seal = NewSeal(_caseId);
        var fund = NewFund();
        var grant = RequestedGrant(seal, fund);
        grant = Fold(grant, DecideGrant.Reject(grant, "funder-amara", RejectionReason, seal.Seal, Now));

        var view = GrantView.Of(grant, null, GrantOptions, Now, Sight(Supervisor, grant));

        view.Purpose.ShouldBe(CaseKeys.Erased);
        view.Rejection.ShouldNotBeNull().Reason.ShouldBe(CaseKeys.Erased);
        view.Rejection.Funder.ShouldBe("funder-amara");
        (view.RequestedAmount, view.Currency, view.Status, view.CaseReference)
            .ShouldBe((1_000m, "EUR", GrantStatus.Rejected, "PC-2026-000001"));
    }

    [Fact]
    public void An_auditor_reads_the_triage_view_with_every_staff_text_withheld()
    {
        var seal = NewSeal(_caseId);
        var (@case, _) = TriageCaseWithTexts(seal);

        var view = TriageView.Of(@case, HeldByA, seal, Reader("audrey", "auditor"), Now.AddHours(3));

        var text = JsonSerializer.Serialize(view, Json);
        foreach (var written in TriageTexts)
        {
            text.ShouldNotContain(written);
        }

        view.Override.ShouldNotBeNull().Reason.ShouldBe(CaseKeys.Withheld);
        view.Measures.Where(m => m.Status == MeasureStatus.Cancelled)
            .ShouldAllBe(m => m.CancelReason == CaseKeys.Withheld);
        view.Assessment.ShouldNotBeNull().Notes.ShouldBeNull();
    }

    [Theory]
    [InlineData("funder-amara", "funder", "org-a", true)]   // rejected the first grant, approved and paid the second
    [InlineData("funder-bea", "funder", "org-a", true)]     // took no part: a funder of the fund's organisation
    [InlineData("olivia", "officer", "org-a", true)]        // the case's responsible officer
    [InlineData("sam", "supervisor", "org-a", true)]        // a supervisor of the case's owner
    [InlineData("funder-bea", "funder", "org-b", null)]     // a funder of another organisation: no such grant
    [InlineData("oscar", "officer", "org-a", null)]         // an officer of the owner, not the case's: refused
    [InlineData("sam", "supervisor", "org-b", null)]        // a supervisor of another organisation: no such grant
    public void A_grants_purpose_rejection_reason_and_report_are_read_by_its_caseworkers_and_its_funds_funders(
        string user, string role, string organisation, bool? readsTexts)
    {
        var seal = NewSeal(_caseId);
        var fund = NewFund();
        var rejected = RequestedGrant(seal, fund);
        rejected = Fold(rejected, DecideGrant.Reject(rejected, "funder-amara", RejectionReason, seal.Seal, Now));
        var reported = RequestedGrant(seal, fund);
        reported = Fold(reported, DecideGrant.Approve(GrantOptions, reported, fund, "funder-amara", null, Now));
        reported = Fold(reported, DisburseGrant.Decide(GrantOptions, reported, 1_000m, "funder-amara", Now));
        reported = Fold(reported, SubmitReport.Decide(reported, 950m, seal.Seal(Summary), "olivia", Now.AddDays(10)));
        var reader = Reader(user, role, organisation);

        var sight = GrantAccess.SightOf(reader, rejected, rejected.FundOrganisation, GrantCase());
        if (readsTexts is null)
        {
            sight.Refusal.ShouldNotBeNull();
            GrantAccess.SightOf(reader, reported, reported.FundOrganisation, GrantCase()).Refusal.ShouldNotBeNull();
            return;
        }

        var rejectedView = GrantView.Of(rejected, seal, GrantOptions, Now, Sight(reader, rejected));
        var reportedView = GrantView.Of(reported, seal, GrantOptions, Now, Sight(reader, reported));

        rejectedView.Purpose.ShouldBe(readsTexts.Value ? Purpose : null);
        rejectedView.Rejection.ShouldNotBeNull().Reason.ShouldBe(readsTexts.Value ? RejectionReason : null);
        reportedView.Report.ShouldNotBeNull().Summary.ShouldBe(readsTexts.Value ? Summary : null);
    }
}
