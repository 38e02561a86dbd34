using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// A message that needs another to be applied first, and does not find it within the quick retries (7.6 s), is
/// tried again for minutes rather than moved to the dead letters, where nothing would apply it.
/// </summary>
public sealed class PatientRetryTests(EventStoreHost host) : IClassFixture<EventStoreHost>
{
    /// <summary>The first attempt and the four quick retries: after them, the message used to land in _error.</summary>
    private const int QuickAttempts = 5;

    [Fact]
    public async Task A_message_that_arrives_before_its_case_is_applied_once_the_case_is_there_after_the_quick_retries()
    {
        var caseId = Guid.CreateVersion7();
        await host.Bus.Publish(new FollowUp(caseId));

        await Eventually.Get(
            () => Task.FromResult(host.FollowUps.Attempts.GetValueOrDefault(caseId) > QuickAttempts ? "again" : null),
            TimeSpan.FromSeconds(60),
            "an attempt after the quick retries");
        host.FollowUps.Applied.ShouldNotContain(caseId);

        host.FollowUps.Opened.TryAdd(caseId, 0); // the case arrives at last
        await Eventually.Get(
            () => Task.FromResult(host.FollowUps.Applied.Contains(caseId) ? "applied" : null),
            TimeSpan.FromSeconds(60),
            "the follow-up applied once its case is there");
        host.FollowUps.Applied.Count(id => id == caseId).ShouldBe(1);
    }
}
