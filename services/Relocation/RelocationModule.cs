using JasperFx.Events.Projections;
using Marten;
using Protection.Relocations.Cases;
using Protection.Relocations.Dashboards;
using Protection.Relocations.Relocations;
using Protection.Relocations.Relocations.Financing;
using Protection.Relocations.Relocations.Watching;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;

namespace Protection.Relocations;

public static class RelocationModule
{
    public const string ServiceName = "relocation";

    public static IHostApplicationBuilder AddRelocation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelocationOptions>().BindConfiguration(RelocationOptions.Section)
            .Validate(
                o => o.WatchInterval == Timeout.InfiniteTimeSpan
                    || (o.WatchInterval > TimeSpan.Zero && o.WatchInterval <= RelocationOptions.LongestWatchInterval),
                "Relocation:WatchInterval must be between 00:00:00.001 and 49.00:00:00 (a timer cannot wait longer), "
                + "e.g. 00:01:00.")
            .Validate(
                o => o.DefaultCheckInInterval > TimeSpan.Zero
                    && o.CheckInGrace >= TimeSpan.Zero
                    && o.StayEndingNotice >= TimeSpan.Zero,
                "Relocation:DefaultCheckInInterval must be positive; CheckInGrace and StayEndingNotice zero or more.")
            .Validate(
                o => o.InitialStayMonths > 0 && o.MaxStayMonths >= o.InitialStayMonths,
                "Relocation:InitialStayMonths must be positive and MaxStayMonths at least as long.")
            .ValidateOnStart();
        PersonalDataVault.AddPersonalDataVault(builder);

        // Here and not in the service defaults: the validation source generator only sees calls in this project.
        builder.Services.AddValidation();

        builder.AddEventStore(ServiceName, options =>
        {
            // Inline: the officer reads a step's result back at once, and the watch queries the deadlines.
            options.Projections.Add(new SelfApplyingProjection<Relocation>(), ProjectionLifecycle.Inline);
            options.Schema.For<Relocation>()
                .Duplicate(r => r.CaseId)
                .Duplicate(r => r.Away)
                .Duplicate(r => r.NextCheckInDueAt)
                .Duplicate(r => r.StayEndsAt)
                .Duplicate(r => r.HostOrganisationId);

            // Consumers and commands both write it (the relocation in progress, waiting funds): a stale copy
            // never overwrites.
            options.Schema.For<CaseRecord>().UseOptimisticConcurrency(true);

            // Async: the dashboards' indicators, kept by the daemon a moment behind the events.
            options.Projections.Add(new RelocationIndicatorProjection(), ProjectionLifecycle.Async);
            options.Schema.For<RelocationIndicator>().Duplicate(r => r.CaseId);
            options.Schema.For<CaseKey>();

            // Renamed apart from the integration events of the same name; recorded streams, and the hash
            // chain over them, keep the names the events were stored under.
            options.Events.MapEventType<RelocationOpened>("relocation_requested");
            options.Events.MapEventType<DefenderCheckedIn>("check_in_recorded");
            options.Events.MapEventType<StayProlonged>("stay_extended");
            options.Events.MapEventType<RelocationConcluded>("relocation_closed");
        });
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddBatchConsumer<RecordOpenedCase>();
            bus.AddBatchConsumer<RecordRisk>();
            bus.AddBatchConsumer<RecordAssignment>();
            bus.AddBatchConsumer<RecordClosure>();
            bus.AddBatchConsumer<RecordReopening>();
            bus.AddBatchConsumer<RecordHolders>();
            bus.AddBatchConsumer<RecordConsent>();
            bus.AddBatchConsumer<RecordRecommendation>();
            bus.AddConsumer<FundRelocation>();
            bus.AddConsumer<DestroyCaseKey>();
        });

        builder.Services.AddSingleton<RelocationWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RelocationWatch>());
        return builder;
    }

    public static IEndpointRouteBuilder MapRelocationApi(this IEndpointRouteBuilder app) =>
        app.MapRelocationEndpoints().MapRelocationsDashboard();
}
