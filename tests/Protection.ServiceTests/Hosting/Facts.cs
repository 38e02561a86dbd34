using Protection.Contracts;
using Protection.Contracts.Assistance;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;

namespace Protection.ServiceTests.Hosting;

/// <summary>
/// The integration events other services publish, as a service under test receives them: what intake
/// says when it opens a case, what triage says when it closes or assigns one, what emergency
/// assistance says when it pays a grant.
/// </summary>
public static class Facts
{
    public static EventMetadata By(string actor, string role) => new(
        Guid.CreateVersion7(), DateTimeOffset.UtcNow, actor, role, Guid.NewGuid().ToString(), Guid.NewGuid()
            .ToString());

    /// <summary>
    /// Intake opened a case for <paramref name="officer"/>: one physical threat two days ago, in Colombia.
    /// </summary>
    public static CaseOpened CaseOpened(Guid caseId, string officer, int peopleAtRisk = 3)
    {
        var threat = new ThreatSummary(
            Guid.CreateVersion7(), ThreatType.Physical, PerpetratorCategory.NonStateArmedGroup,
            DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)), "CO");
        return new CaseOpened(
            caseId, Reference(caseId), "CO", [threat], new ConsentScopes(true, true), peopleAtRisk,
                DateTimeOffset.UtcNow,
            By(officer, "officer"))
        {
            Organisation = TestTokens.OrganisationA,
        };
    }

    public static CaseClosed CaseClosed(Guid caseId, long triageVersion) =>
        new(caseId, Reference(caseId), CaseOutcome.RiskReduced, triageVersion, By("triage-officer", "officer"));

    public static CaseReopened CaseReopened(Guid caseId, long triageVersion) =>
        new(caseId, Reference(caseId), RiskLevel.High, DateTimeOffset.UtcNow.AddHours(4), triageVersion,
            By("triage-officer", "officer"));

    public static CaseAssigned CaseAssigned(Guid caseId, string officer, long triageVersion) =>
        new(caseId, Reference(caseId), officer, null, triageVersion, By("supervisor", "supervisor"));

    /// <summary>A grant of <paramref name="category"/> for the case was paid in full, in one tranche.</summary>
    public static GrantDisbursed GrantDisbursed(Guid caseId, GrantCategory category, decimal amount = 2_500m) =>
        new(caseId, Reference(caseId), Guid.CreateVersion7(), Guid.CreateVersion7(), category, 1, amount, "EUR", amount,
            true, By("funder", "funder"));

    /// <summary>A reference of intake's shape, derived from the id so that each case has its own.</summary>
    public static string Reference(Guid caseId) => $"PC-2026-{(uint)caseId.GetHashCode() % 1_000_000:000000}";
}
