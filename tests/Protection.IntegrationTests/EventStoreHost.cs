using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// A host wired exactly as a service wires itself (AddEventStore + AddMessaging from the shared
/// service defaults) on a database of its own and a uniquely named RabbitMQ endpoint.
/// </summary>
public class EventStoreHost : IAsyncLifetime
{
    private IHost? _host;

    public string ConnectionString { get; private set; } = string.Empty;

    public IDocumentStore Store => _host!.Services.GetRequiredService<IDocumentStore>();

    public IBus Bus => _host!.Services.GetRequiredService<IBus>();

    public ThreatLog Received => _host!.Services.GetRequiredService<ThreatLog>();

    public ConsumeLog Consumed => _host!.Services.GetRequiredService<ConsumeLog>();

    public BatchLog Batches => _host!.Services.GetRequiredService<BatchLog>();

    public FollowUpLog FollowUps => _host!.Services.GetRequiredService<FollowUpLog>();

    public async Task InitializeAsync()
    {
        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        ConnectionString = await TestInfrastructure.CreateDatabaseAsync("eventstore");

        var prefix = $"itest-{Guid.NewGuid():N}"[..20];
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:ExchangePrefix"] = $"{prefix}.",
            ["ConnectionStrings:Postgres"] = Through(ConnectionString),
            ["ConnectionStrings:RabbitMq"] = rabbit,
            ["Outbox:SweepInterval"] = "00:00:00.500",
            ["Outbox:SweepGrace"] = "00:00:00.500",
        });
        builder.Configuration.AddInMemoryCollection(Overrides);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ThreatLog>();
        builder.Services.AddSingleton<ConsumeLog>();
        builder.Services.AddSingleton<BatchLog>();
        builder.Services.AddSingleton<FollowUpLog>();
        builder.Services.AddConsumeObserver(services => services.GetRequiredService<ConsumeLog>());
        builder.AddEventStore("itest", options => options.Events.AddEventType<ThreatSeen>());
        builder.AddMessaging(prefix, bus =>
        {
            bus.AddConsumer<RecordThreatSeen>();
            bus.AddBatchConsumer<CountAssignments>();
            bus.AddConsumer<ApplyFollowUp>();
        });

        _host = builder.Build();
        await _host.StartAsync();
        await _host.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync() => TestInfrastructure.StopAndDropAsync(_host, ConnectionString);

    /// <summary>How the host reaches its database: straight, unless a variant puts something between.</summary>
    protected virtual string Through(string connectionString) => connectionString;

    /// <summary>Settings a variant of the host changes.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>();
}

/// <summary>
/// The host with published messages kept 3 s before they are deleted, as when the relay falls behind under
/// load: several sweeps (every 0.5 s, of messages older than 0.5 s) pass while they wait.
/// </summary>
public sealed class SlowDeletingEventStoreHost : EventStoreHost
{
    protected override IReadOnlyDictionary<string, string?> Overrides { get; } =
        new Dictionary<string, string?> { ["Outbox:DeleteLinger"] = "00:00:03" };
}

/// <summary>
/// The host reaching its database through a <see cref="CuttableProxy"/>, so that a test can take the database away
/// from it and give it back, as a restart or a failover does.
/// </summary>
public sealed class CuttableDatabaseHost : EventStoreHost
{
    public CuttableProxy? Proxy { get; private set; }

    protected override string Through(string connectionString)
    {
        var direct = new NpgsqlConnectionStringBuilder(connectionString);
        Proxy = CuttableProxy.Start(direct.Host!, direct.Port);
        return new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Proxy.Port }
            .ConnectionString;
    }
}
