using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Protection.Bench.Driver;

/// <summary>
/// The ceiling: plain Marten (no HTTP, no broker, no hash chain, no outbox, no projection) on a
/// database of the benchmark's own, with the services' serializer settings.
/// </summary>
public static class RawMarten
{
    public const string Database = "protection_bench";

    public static async Task<DocumentStore> StoreAsync(BenchSettings settings, string schema)
    {
        var connection = settings.Postgres(Database);
        await EnsureDatabaseAsync(settings);
        var store = DocumentStore.For(options =>
        {
            options.Connection(connection);
            options.DatabaseSchemaName = schema;
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            options.Events.StreamIdentity = StreamIdentity.AsGuid;
            options.Events.AppendMode = EventAppendMode.Quick;
            options.DisableNpgsqlLogging = true;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    /// <summary>Transactions committed in the whole PostgreSQL cluster so far (pg_stat_database).</summary>
    public static async Task<long> CommitsAsync(BenchSettings settings)
    {
        await using var connection = new NpgsqlConnection(settings.Postgres("postgres", pool: 2));
        await connection.OpenAsync();
        // The statistics are those of this transaction's snapshot; a fresh transaction sees fresh figures.
        await using var command = new NpgsqlCommand(
            "SELECT pg_stat_clear_snapshot(); SELECT sum(xact_commit)::bigint FROM pg_stat_database", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    private static async Task EnsureDatabaseAsync(BenchSettings settings)
    {
        await using var connection = new NpgsqlConnection(settings.Postgres("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand(
            $"SELECT 1 FROM pg_database WHERE datname = '{Database}'", connection);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            await create.ExecuteNonQueryAsync();
        }
    }
}
