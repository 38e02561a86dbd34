using JasperFx.Events;
using Marten;
using Marten.Events;
using Protection.Intake;
using Protection.Intake.Cases;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
namespace Protection.UnitTests.Intake;

/// <summary>
/// Events are found again by the name stored with them: a renamed class keeps it, or the streams
/// already written no longer load, and the history names events by it.
/// </summary>
public sealed class StoredEventNames
{
    private static readonly StoreOptions Options = Configured();

    [Theory]
    [InlineData(typeof(CaseFileOpened), "case_opened")]
    [InlineData(typeof(ThreatRecorded), "threat_reported")]
    [InlineData(typeof(PersonalDataErased), "personal_data_erased")]
    [InlineData(typeof(DefenderConsentChanged), "defender_consent_changed")]
    [InlineData(typeof(CaseReferred), "case_referred")]
    [InlineData(typeof(ReferralAccepted), "referral_accepted")]
    [InlineData(typeof(ReferralDeclined), "referral_declined")]
    [InlineData(typeof(ReferralRevoked), "referral_revoked")]
    [InlineData(typeof(TriageStartedNoted), "triage_started_noted")]
    [InlineData(typeof(RiskLevelNoted), "risk_level_noted")]
    [InlineData(typeof(OfficerAssignmentNoted), "officer_assignment_noted")]
    [InlineData(typeof(CaseClosureNoted), "case_closure_noted")]
    [InlineData(typeof(CaseReopeningNoted), "case_reopening_noted")]
    [InlineData(typeof(GrantOpenedNoted), "grant_opened_noted")]
    [InlineData(typeof(GrantClosedNoted), "grant_closed_noted")]
    [InlineData(typeof(RelocationOpenedNoted), "relocation_opened_noted")]
    [InlineData(typeof(RelocationClosedNoted), "relocation_closed_noted")]
    public void Intakes_events_keep_the_names_their_streams_were_written_with(Type type, string stored) =>
        StoredNameOf(type).ShouldBe(stored);

    [Fact]
    public void The_history_names_a_renamed_event_as_it_was_named_when_stored()
    {
        var stored = StoredNameOf(typeof(CaseFileOpened));

        AuditText.TypeName(new Event<object>(new object()) { EventTypeName = stored }).ShouldBe("CaseOpened");
    }

    private static string StoredNameOf(Type type) => ((EventGraph)Options.Events).EventMappingFor(type).EventTypeName;

    private static StoreOptions Configured()
    {
        var options = new StoreOptions();
        IntakeModule.ConfigureStore(options);
        return options;
    }
}
