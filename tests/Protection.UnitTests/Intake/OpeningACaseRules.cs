using PerpetratorCategory = Protection.Contracts.Cases.PerpetratorCategory;
using ThreatType = Protection.Contracts.Cases.ThreatType;
using Case = Protection.Intake.Cases.Case;
using Protection.Intake.Cases;
using Protection.Intake.Cases.Opening;
using Protection.Intake.PersonalData;
using Protection.EventSourcing.PersonalData;

namespace Protection.UnitTests.Intake;

public sealed class OpeningACaseRules
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static OpenCaseRequest Request(bool consentToRecord = true, params DateOnly[] threatDates) => new()
    {
        Defender = new DefenderInput { FullName = "A", Location = new LocationInput { Country = "CO" } },
        Consent = new ConsentInput
        {
            DataProcessing = consentToRecord, ShareWithFunders = false, ShareWithRelocationHost = false,
        },
        Threats = threatDates.Select(d => new ThreatInput
        {
            Type = ThreatType.Physical,
            Perpetrator = PerpetratorCategory.Unknown,
            OccurredOn = d,
            Country = "CO",
            Description = "x",
        }).ToList(),
    };

    [Fact]
    public void A_case_with_consent_and_past_threats_may_be_opened() =>
        OpenCase.Check(Request(true, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 25)), Now).ShouldBeEmpty();

    [Fact]
    public void Without_consent_to_record_the_case_is_refused_naming_the_field() =>
        OpenCase.Check(Request(false, new DateOnly(2026, 11, 20)), Now).Keys.ShouldBe(["consent.dataProcessing"]);

    [Fact]
    public void A_threat_dated_tomorrow_in_its_country_is_refused_at_its_index()
    {
        var errors = OpenCase.Check(Request(true, new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 26)), Now);
        errors.Keys.ShouldBe(["threats[1].occurredOn"]);
    }

    [Fact]
    public void A_case_keeps_every_threat_reported_and_its_types_in_order()
    {
        var caseId = Guid.CreateVersion7();
        var sealedData = new SealedData("x");
        RecordedThreat Threat(ThreatType type) =>
            new(Guid.CreateVersion7(), type, PerpetratorCategory.State, new DateOnly(2026, 11, 1), "CO", sealedData);
        var opened = new CaseFileOpened(
            caseId,
            "PC-2026-000001",
            sealedData,
            "CO",
            1,
            new Consent(true, true, false),
            [Threat(ThreatType.Physical)],
            "olivia",
            Now);

        var @case = new ThreatRecorded(caseId, Threat(ThreatType.Physical), "olivia", Now.AddHours(2)).Apply(
            new ThreatRecorded(caseId, Threat(ThreatType.Detention), "olivia", Now.AddHours(1)).Apply(opened.Start()));

        @case.Threats.Count.ShouldBe(3);
        @case.ThreatTypes.ShouldBe([ThreatType.Detention, ThreatType.Physical]);
        @case.LastChangedAt.ShouldBe(Now.AddHours(2));
    }
}
