using Protection.Contracts;
using Protection.Contracts.Cases;

namespace Protection.IntegrationTests;

internal static class Messages
{
    public static ThreatReported ThreatReportedOn(Guid caseId) => new(
        caseId,
        "PC-2026-000001",
        new ThreatSummary(
            Guid.CreateVersion7(),
            ThreatType.Digital,
            PerpetratorCategory.Unknown,
            new DateOnly(2026, 11, 1),
            "CO"),
        new EventMetadata(
            Guid.CreateVersion7(),
            DateTimeOffset.UtcNow,
            "officer-1",
            "officer",
            Guid.NewGuid().ToString(),
            Guid.NewGuid().ToString()));
}
