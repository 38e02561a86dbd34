using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using System.Data.Common;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.Http;
using Protection.EventSourcing.Messaging;
using Weasel.Core;

namespace Protection.EventSourcing.EventStore;

public static class EventStoreSetup
{
    /// <summary>
    /// Marten on the service's own PostgreSQL database (<c>ConnectionStrings:Postgres</c>): Guid
    /// streams, quick append, full event metadata, every event hash-chained, and an outbox whose
    /// messages commit with the events and are published right after the commit.
    /// </summary>
    /// <param name="schema">The service's schema, e.g. <c>intake</c>.</param>
    public static IHostApplicationBuilder AddEventStore(
        this IHostApplicationBuilder builder,
        string schema,
        Action<StoreOptions> configure)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        var handOver = new OutboxHandOver();
        builder.Services.AddSingleton(handOver);

        AddChainedStore(builder, schema, options =>
        {
            options.Listeners.Add(new OutboxCommitListener(handOver));
            options.Schema.For<OutboxMessage>().Index(m => m.CreatedAt);
            options.Schema.For<ProcessedMessage>();
            options.Events.AddEventType<CaseRead>();
            configure(options);
        });

        builder.Services.AddSingleton<CaseAccessLog>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>
    /// The same hash-chained event store for a service that publishes nothing (the identity
    /// service's log of administrative actions): no outbox, no broker.
    /// </summary>
    public static IHostApplicationBuilder AddEventLog(
        this IHostApplicationBuilder builder,
        string schema,
        Action<StoreOptions> configure) =>
        AddChainedStore(builder, schema, configure);

    private static IHostApplicationBuilder AddChainedStore(
        IHostApplicationBuilder builder, string schema, Action<StoreOptions> configure)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:Postgres is not configured. Set ConnectionStrings__Postgres, e.g. "
                + "Host=127.0.0.1;Database=protection_intake;Username=protection;Password=… "
                + "(deploy/local/up.sh does this for you).");
        connectionString = Pooled(connectionString);

        builder.Services.AddMarten(services =>
            {
                var options = new StoreOptions();
                options.Connection(connectionString);
                options.DatabaseSchemaName = schema;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.Events.AppendMode = EventAppendMode.Quick;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;

                options.Listeners.Add(new HashChainListener(services.GetRequiredService<TimeProvider>()));
                options.Schema.For<IdempotentAnswer>().Index(a => a.ExpiresAt);
                configure(options);
                return options;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // The async projections (the dashboards' indicators) run on one replica at a time: the others stand by.
            .AddAsyncDaemon(DaemonMode.HotCold);

        // First of all hosted services (Marten puts its schema migration at the front too): the
        // database must exist before Marten applies its schema to it.
        builder.Services.Insert(
            0, ServiceDescriptor.Singleton<IHostedService>(new DatabaseBootstrap(connectionString)));
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: ["ready"]);
        builder.Services.AddSingleton(new IdempotencyKeysEnabled(typeof(IdempotencyKeys)));
        builder.Services.AddSingleton<IExceptionStatus, StoreAndBrokerFaults>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.AddSource("MassTransit", "Npgsql", "Marten"));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("MassTransit", "Marten"));
        builder.Services.AddHostedService<IdempotentAnswerSweep>();
        return builder;
    }

    /// <summary>
    /// A pooled connection is not reset (<c>DISCARD ALL</c>) each time it is taken: nothing here leaves session
    /// state behind, and the reset was its own statement and transaction on every use, about half of all the
    /// statements a case cost, and it threw away the prepared statements. A connection string that sets
    /// <c>No Reset On Close</c> itself keeps its choice.
    /// </summary>
    internal static string Pooled(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("No Reset On Close") || given.ContainsKey("NoResetOnClose"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }
}
