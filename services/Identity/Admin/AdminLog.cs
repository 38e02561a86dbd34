using Marten;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Protection.Identity.Accounts;

namespace Protection.Identity.Admin;

/// <summary>
/// Records an administrative change and its event in one PostgreSQL transaction: the account or
/// organisation rows (EF Core) and the hash-chained event (Marten) commit together or not at all.
/// </summary>
public sealed class AdminLog(IdentityDb db, IDocumentStore store)
{
    /// <summary>
    /// Runs <paramref name="change"/>; commits only when it returns an event (otherwise it was refused).
    /// </summary>
    public async Task<T> RecordAsync<T>(
        Guid streamId, Func<Task<(T Result, object? Event)>> change, CancellationToken token)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(token);
        var (result, @event) = await change();
        if (@event is null)
        {
            return result; // refused: the transaction is rolled back with anything the change wrote
        }

        {
            await using var session = store.LightweightSession(
                Marten.Services.SessionOptions.ForTransaction((NpgsqlTransaction)transaction.GetDbTransaction()));
            session.Events.Append(streamId, @event);
            await session.SaveChangesAsync(token);
        }

        await transaction.CommitAsync(token);
        return result;
    }
}
