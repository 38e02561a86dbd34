using JasperFx.Events.Projections;
using Marten;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.FlaggingOverdue;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Messaging;
using Protection.ServiceDefaults.PersonalData;

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
            options.Projections.Add(SelfApplying<Fund>(), ProjectionLifecycle.Inline);
            options.Projections.Add(SelfApplying<Grant>(), ProjectionLifecycle.Inline);
            options.Schema.For<Grant>()
                .Duplicate(g => g.Status)
                .Duplicate(g => g.CaseId)
                .Duplicate(g => g.RequestedBy)
                .Duplicate(g => g.Rank)
                .Duplicate(g => g.DecisionDueAt);
            options.Schema.For<CaseRecord>();

            // Purposes, reasons and reports are sealed with the key of the grant's case; erasure (CaseErased)
            // destroys it.
            options.Schema.For<CaseKey>();
        });
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<RecordOpenedCase>();
            bus.AddConsumer<RecordReportedThreat>();
            bus.AddConsumer<RecordRisk>();
            bus.AddConsumer<RecordAssignment>();
            bus.AddConsumer<RecordClosure>();
            bus.AddConsumer<RecordReopening>();
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

    /// <summary>
    /// Folds <typeparamref name="TState"/> from the events that say they are its own, and only those: a
    /// grant's and its fund's events are appended in one transaction, and neither projection needs the
    /// other's (nor to load a document for the other's stream).
    /// </summary>
    private static SelfApplyingProjection<TState> SelfApplying<TState>()
        where TState : class
    {
        var projection = new SelfApplyingProjection<TState>();
        var own = typeof(TState).Assembly.GetTypes().Where(type =>
            type.IsAssignableTo(typeof(IStartOf<TState>)) || type.IsAssignableTo(typeof(IEventOf<TState>)));
        foreach (var type in own)
        {
            projection.IncludeType(type);
        }

        return projection;
    }

    public static IEndpointRouteBuilder MapAssistanceApi(this IEndpointRouteBuilder app) =>
        app.MapFundsApi().MapGrantsApi();
}
