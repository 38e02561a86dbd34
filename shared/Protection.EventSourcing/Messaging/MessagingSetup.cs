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
}
