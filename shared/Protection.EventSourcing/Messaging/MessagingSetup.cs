using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protection.Contracts;
using Protection.EventSourcing.Http;

namespace Protection.EventSourcing.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit on RabbitMQ (<c>ConnectionStrings:RabbitMq</c>, an amqp:// URI). Queues are named
    /// <c>{service}-{consumer}</c>; consumers retry in memory (for minutes when the failure is transient or the
    /// message arrived early), then land in the queue's <c>_error</c> queue (the dead letters an admin inspects and
    /// replays).
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var connectionString = builder.Configuration.GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:RabbitMq is not configured. Set ConnectionStrings__RabbitMq, e.g. "
                + "amqp://protection:protection@127.0.0.1:5672/ (deploy/local/up.sh does this for you).");

        // The service must start (and report not-ready) while the broker is down, not hang.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });

        builder.Services.AddMassTransit(bus =>
        {
            // Messaging:QueuePrefix lets a second copy of a service (a test host) have queues of its own.
            var prefix = builder.Configuration["Messaging:QueuePrefix"] ?? serviceName;
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, includeNamespace: false));
            // MassTransit 8.4+ reports how it is configured to masstransit.io unless told not to. A platform that
            // holds defenders' cases calls out to no third party, however anonymous the report.
            bus.DisableUsageTelemetry();
            consumers?.Invoke(bus);
            // Messaging:ExchangePrefix gives a test host exchanges of its own too: test hosts run side by side on
            // one virtual host, and on shared exchanges each received the others' messages (and retried those it
            // could not apply yet, holding up its own).
            var exchanges = builder.Configuration["Messaging:ExchangePrefix"];
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString));
                if (!string.IsNullOrEmpty(exchanges))
                {
                    PrefixExchanges(rabbit, exchanges);
                }

                // What waits for something to come back or to arrive (a database restarting or failing over, a
                // message on another queue) is tried again for about a quarter of an hour before it lands in _error;
                // any other failure (a bug, a message that will never apply) after four quick retries. With the
                // quick retries alone, a database away for more than 8 s would send every message of those seconds
                // to the dead letters, and cases opened then would never reach triage. The message stays
                // unacknowledged meanwhile; if the process stops, the broker delivers it again. (Two policies that
                // see disjoint failures: a retry policy nested in another that also handles the failure does not
                // hand it on when it gives up.)
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(IsWorthWaitingFor);
                    retry.Intervals(PatientRetryIntervals);
                });
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Ignore<Exception>(IsWorthWaitingFor);
                    retry.Intervals(
                        TimeSpan.FromMilliseconds(100),
                        TimeSpan.FromMilliseconds(500),
                        TimeSpan.FromSeconds(2),
                        TimeSpan.FromSeconds(5));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }

    /// <summary>
    /// Every exchange this bus publishes to or binds its queues to is named <paramref name="prefix"/> + its usual name:
    /// the contracts' (named by <see cref="EntityNameAttribute"/>, which outranks any formatter) one by one, the rest
    /// through the topology's formatter.
    /// </summary>
    private static void PrefixExchanges(IRabbitMqBusFactoryConfigurator rabbit, string prefix)
    {
        rabbit.MessageTopology.SetEntityNameFormatter(
            new PrefixedEntityNames(rabbit.MessageTopology.EntityNameFormatter, prefix));
        var name = typeof(MessagingSetup)
            .GetMethod(nameof(NameExchange), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var contract in typeof(IIntegrationEvent).Assembly.GetTypes())
        {
            if (contract.GetCustomAttribute<EntityNameAttribute>() is { } entity)
            {
                name.MakeGenericMethod(contract).Invoke(null, [rabbit, prefix + entity.EntityName]);
            }
        }
    }

    private static void NameExchange<T>(IRabbitMqBusFactoryConfigurator rabbit, string name)
        where T : class => rabbit.Message<T>(message => message.SetEntityName(name));

    private sealed class PrefixedEntityNames(IEntityNameFormatter names, string prefix) : IEntityNameFormatter
    {
        public string FormatEntityName<T>() => prefix + names.FormatEntityName<T>();
    }

    /// <summary>
    /// Adds a consumer of <c>Batch&lt;T&gt;</c> (<see cref="IdempotentBatchConsumer{TMessage}"/>) on a queue of
    /// its own: a batch closes at <see cref="BatchMessageLimit"/> messages or <see cref="BatchTimeLimit"/> after
    /// its first, whichever comes first, and one batch runs at a time. When the consumer falls behind, the
    /// messages waiting make full batches at once; when it keeps up, each waits at most the time limit.
    /// </summary>
    public static IBusRegistrationConfigurator AddBatchConsumer<TConsumer>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer
    {
        bus.AddConsumer<TConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchMessageLimit)
            .SetTimeLimit(BatchTimeLimit)
            .SetTimeLimitStart(BatchTimeLimitStart.FromFirst)
            .SetConcurrencyLimit(1)));
        return bus;
    }

    /// <summary>
    /// When a message that waits for something is tried again: soon at first, then every 2 min, about 15 min in all,
    /// under RabbitMQ's 30 min limit on an unacknowledged delivery.
    /// </summary>
    private static readonly TimeSpan[] PatientRetryIntervals =
    [
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40),
        TimeSpan.FromSeconds(80), .. Enumerable.Repeat(TimeSpan.FromMinutes(2), 6),
    ];

    /// <summary>A failure that says nothing about the message: it may well apply once tried again later.</summary>
    private static bool IsWorthWaitingFor(Exception exception) =>
        exception is ArrivedEarlyException || TransientFaults.IsTransient(exception);

    /// <summary>The most messages a batch consumer takes in one transaction.</summary>
    public const int BatchMessageLimit = 32;

    /// <summary>How long a batch waits for more messages after its first.</summary>
    public static readonly TimeSpan BatchTimeLimit = TimeSpan.FromMilliseconds(20);
}
