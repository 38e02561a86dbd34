using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Protection.EventSourcing.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit on RabbitMQ (<c>ConnectionStrings:RabbitMq</c>, an amqp:// URI). Queues are named
    /// <c>{service}-{consumer}</c>; consumers retry in memory, then land in the queue's <c>_error</c>
    /// queue (the dead letters an admin inspects and replays).
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
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString));
                rabbit.UseMessageRetry(retry => retry.Intervals(
                    TimeSpan.FromMilliseconds(100),
                    TimeSpan.FromMilliseconds(500),
                    TimeSpan.FromSeconds(2),
                    TimeSpan.FromSeconds(5)));
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
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

    /// <summary>The most messages a batch consumer takes in one transaction.</summary>
    public const int BatchMessageLimit = 32;

    /// <summary>How long a batch waits for more messages after its first.</summary>
    public static readonly TimeSpan BatchTimeLimit = TimeSpan.FromMilliseconds(20);
}
