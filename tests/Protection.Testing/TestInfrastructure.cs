using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Protection.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ the integration and end-to-end tests run against: the ones
/// named by <c>PROTECTION_TEST_POSTGRES</c> / <c>PROTECTION_TEST_RABBITMQ</c> when set (what
/// <c>deploy/local/test.sh</c> does; <c>{suite}</c> in the URI is the suite's name), otherwise containers started
/// with Testcontainers when a Docker engine is available (each suite's process its own). Each test class gets
/// databases of its own, each suite a RabbitMQ virtual host of its own.
/// </summary>
public static class TestInfrastructure
{
    public const string PostgresVariable = "PROTECTION_TEST_POSTGRES";
    public const string RabbitMqVariable = "PROTECTION_TEST_RABBITMQ";

    /// <summary>Stands for the suite's name in <see cref="RabbitMqVariable"/>'s virtual host.</summary>
    public const string SuitePlaceholder = "{suite}";

    /// <summary>
    /// The test suite running (<c>integration</c>, <c>e2e</c>), set by each suite's module initializer. The suites run
    /// at the same time: on one virtual host, a message one suite publishes reaches the other's consumers of the
    /// same contract (an integration test's 300 <c>ThreatReported</c> for unknown cases held the end-to-end triage's
    /// queue for minutes, each retried before it gave up). <c>deploy/local/test.sh</c> gives each a virtual host.
    /// </summary>
    public static string Suite { get; set; } = "tests";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Postgres, string RabbitMq)? _endpoints;

    /// <summary>An admin connection string (role with CREATEDB) and an amqp:// URI.</summary>
    public static async Task<(string Postgres, string RabbitMq)> EndpointsAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _endpoints ??= await Resolve();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var (postgres, _) = await EndpointsAsync();
        // purpose: a short word (names stop at 63 bytes)
        var name = $"test_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString;
    }

    /// <summary>Stops a test's host (if it started) and drops the database it ran on.</summary>
    public static async Task StopAndDropAsync(Microsoft.Extensions.Hosting.IHost? host, string connectionString)
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await DropDatabaseAsync(connectionString);
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return;
        }

        var (postgres, _) = await EndpointsAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        // "with (force)" cannot end an autovacuum worker (the superuser's) busy on the database: 42501 until it
        // finishes, a moment later.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private static async Task<(string, string)> Resolve()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var rabbit = Environment.GetEnvironmentVariable(RabbitMqVariable);
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbit))
        {
            return (postgres, rabbit.Replace(SuitePlaceholder, Suite, StringComparison.Ordinal));
        }

        if (!DockerAvailable())
        {
            throw new InvalidOperationException(
                $"No PostgreSQL/RabbitMQ for the tests: set {PostgresVariable} " +
                $"(a connection string for a role with CREATEDB) and {RabbitMqVariable} (an amqp:// URI), " +
                "or run the tests through deploy/local/test.sh, which installs, starts and sets both; " +
                "with a Docker engine, Testcontainers starts them instead.");
        }

        var pg = new PostgreSqlBuilder("postgres:15").Build();
        var mq = new RabbitMqBuilder("rabbitmq:3-management").Build();
        await Task.WhenAll(pg.StartAsync(), mq.StartAsync());
        return (postgres ?? pg.GetConnectionString(), rabbit ?? mq.GetConnectionString());
    }

    private static bool DockerAvailable() =>
        File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"));
}
