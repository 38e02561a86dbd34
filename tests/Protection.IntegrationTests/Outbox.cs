using Marten;
using Protection.EventSourcing.Messaging;
using Protection.Testing;

namespace Protection.IntegrationTests;

internal static class Outbox
{
    /// <summary>
    /// Waits until the outbox of <paramref name="store"/> is empty: every integration event committed there
    /// was published, the broker confirmed it, and it is already in every queue bound to its exchange.
    /// </summary>
    public static Task EmptiedAsync(IDocumentStore store) => Eventually.Get(async () =>
    {
        await using var query = store.QuerySession();
        return await query.Query<OutboxMessage>().AnyAsync() ? null : "empty";
    }, TimeSpan.FromSeconds(15), "every committed integration event to be published");
}
