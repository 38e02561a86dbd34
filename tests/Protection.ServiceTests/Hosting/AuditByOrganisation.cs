using Protection.ServiceTests.Assistance;
using Protection.ServiceTests.Intake;
using Protection.ServiceTests.Relocation;
using Protection.ServiceTests.Triage;

namespace Protection.ServiceTests.Hosting;

/// <summary>
/// Each service's part of a case's audit is for the owner organisation's supervisors (history) and the
/// auditors granted the owner, read from the service's own copy of the case; to everyone else the case
/// does not exist (<see cref="Audit.ShouldHideFromOtherOrganisationsAsync"/>).
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class IntakeAuditByOrganisation(IntakeHost intake)
{
    [Fact]
    public async Task Another_organisation_and_auditors_not_granted_the_owner_get_404_on_the_cases_audit() =>
        await Audit.ShouldHideFromOtherOrganisationsAsync(intake, intake.CaseId);
}

[Collection(TriageCollection.Name)]
public sealed class TriageAuditByOrganisation(TriageHost triage)
{
    [Fact]
    public async Task Another_organisation_and_auditors_not_granted_the_owner_get_404_on_the_cases_audit() =>
        await Audit.ShouldHideFromOtherOrganisationsAsync(triage, triage.CaseId);
}

[Collection(AssistanceCollection.Name)]
public sealed class AssistanceAuditByOrganisation(AssistanceHost assistance)
{
    [Fact]
    public async Task Another_organisation_and_auditors_not_granted_the_owner_get_404_on_the_cases_audit() =>
        await Audit.ShouldHideFromOtherOrganisationsAsync(assistance, assistance.CaseId);
}

[Collection(RelocationCollection.Name)]
public sealed class RelocationAuditByOrganisation(RelocationHost relocation)
{
    [Fact]
    public async Task Another_organisation_and_auditors_not_granted_the_owner_get_404_on_the_cases_audit() =>
        await Audit.ShouldHideFromOtherOrganisationsAsync(relocation, relocation.CaseId);
}
