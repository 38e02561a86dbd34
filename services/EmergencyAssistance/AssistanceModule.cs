using JasperFx.Events.Projections;
using Marten;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Dashboards;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.FlaggingOverdue;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance;

public static class AssistanceModule
{
    public const string ServiceName = "assistance";

    public static IHostApplicationBuilder AddAssistance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AssistanceOptions>().BindConfiguration(AssistanceOptions.Section);
        builder.Services.AddSingleton<GrantPath>();
        PersonalDataVault.AddPersonalDataVault(builder);

        // Here and not in the service defaults: the validation source generator only sees calls in this
        // project.
        builder.Services.AddValidation();

        builder.AddEventStore(ServiceName, options =>
        {
            MapRenamedEvents(options);
            // Inline: a funder reads the figures and the grant their decision left at once.
            options.Projections.Add(new SelfApplyingProjection<Fund>(), ProjectionLifecycle.Inline);
            options.Schema.For<Fund>().Duplicate(f => f.Organisation);
            options.Projections.Add(new SelfApplyingProjection<Grant>(), ProjectionLifecycle.Inline);
            options.Schema.For<Grant>()
                .Duplicate(g => g.Status)
                .Duplicate(g => g.CaseId)
                .Duplicate(g => g.RequestedBy)
                .Duplicate(g => g.Rank)
                .Duplicate(g => g.DecisionDueAt)
                .Duplicate(g => g.FundId)
                .Duplicate(g => g.FundOrganisation);
            options.Schema.For<CaseRecord>().Duplicate(c => c.Organisation);

            // Async: the dashboards' indicators, kept by the daemon a moment behind the events.
            options.Projections.Add(new GrantIndicatorProjection(), ProjectionLifecycle.Async);
            options.Schema.For<GrantIndicator>()
                .Duplicate(g => g.CaseId)
                .Duplicate(g => g.FundId)
                .Duplicate(g => g.FundOrganisation)
                .Duplicate(g => g.RequestedAt)
                .Duplicate(g => g.DecisionDueAt)
                .Duplicate(g => g.DecidedAt);

            // Purposes, reasons and reports are sealed with the key of the grant's case; erasure (CaseErased)
            // destroys it.
            options.Schema.For<CaseKey>();
        });
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddBatchConsumer<RecordOpenedCase>();
            bus.AddBatchConsumer<RecordReportedThreat>();
            bus.AddBatchConsumer<RecordRisk>();
            bus.AddBatchConsumer<RecordAssignment>();
            bus.AddBatchConsumer<RecordClosure>();
            bus.AddBatchConsumer<RecordReopening>();
            bus.AddBatchConsumer<RecordCaseHolders>();
            bus.AddBatchConsumer<RecordConsent>();
            bus.AddConsumer<DestroyCaseKey>();
        });

        builder.Services.AddSingleton<GrantDeadlines>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GrantDeadlines>());
        return builder;
    }

    /// <summary>
    /// Events renamed apart from the integration events they publish keep the names their streams were
    /// recorded with: the stored rows, their hash chains and every database already written still load.
    /// </summary>
    public static void MapRenamedEvents(StoreOptions options)
    {
        options.Events.MapEventType<GrantRequestFiled>("grant_requested");
        options.Events.MapEventType<GrantAwarded>("grant_approved");
        options.Events.MapEventType<GrantDeclined>("grant_rejected");
        options.Events.MapEventType<GrantRequestWithdrawn>("grant_withdrawn");
    }

    public static IEndpointRouteBuilder MapAssistanceApi(this IEndpointRouteBuilder app) =>
        app.MapFundsApi().MapGrantsApi().MapGrantsDashboard();
}
