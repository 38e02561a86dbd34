using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Options;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Cases;
using Protection.Triage.Cases.FlaggingOverdue;
using Protection.Triage.Cases.News;
using Protection.Triage.Cases.Rebuilding;
using Protection.Triage.Dashboards;
using Protection.Triage.Risk;

namespace Protection.Triage;

public static class TriageModule
{
    public const string ServiceName = "triage";

    public static IHostApplicationBuilder AddTriage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TriageOptions>()
            .BindConfiguration(TriageOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TriageOptions>, TriageOptionsValidator>();
        builder.Services.AddSingleton<TriageDecisions>();
        builder.Services.AddSingleton<CasePath>();
        builder.Services.AddSingleton<TriageRebuild>();
        PersonalDataVault.AddPersonalDataVault(builder);

        // Here and not in the service defaults: the validation source generator only sees calls in this project.
        builder.Services.AddValidation();

        builder.AddEventStore(ServiceName, options =>
        {
            // Inline: an officer reads their own write at once, and the queue is a query over these documents.
            options.Projections.Add(
                RebuildsInLargePages(new SelfApplyingProjection<TriageCase>()), ProjectionLifecycle.Inline);
            MapCases(options);

            // Renamed in code; their stored names stay, so that streams written before still load.
            options.Events.MapEventType<DimensionsScored>("risk_assessed");
            options.Events.MapEventType<CaseClosedWithOutcome>("case_closed");
            options.Events.MapEventType<CaseReopenedForTriage>("case_reopened");

            // Who holds each case, learned from intake; the queue asks which cases an organisation owns.
            options.Schema.For<CaseHolding>()
                .Duplicate(h => h.Owner, configure: index => index.IncludeColumns = ["id"])
                .UseOptimisticConcurrency(true);

            // Async: the dashboards' indicators, kept by the daemon a moment behind the events.
            options.Projections.Add(new TriageIndicatorProjection(), ProjectionLifecycle.Async);
            options.Schema.For<TriageIndicator>()
                .Duplicate(i => i.OpenedAt)
                .Duplicate(i => i.FirstAssessedAt);

            // Notes and reasons are sealed with the case's key; erasure (CaseErased) destroys it.
            options.Schema.For<CaseKey>();
        });
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<TakeInOpenedCase>();
            bus.AddConsumer<RecordCaseHolders>();
            bus.AddConsumer<AddReportedThreat>();
            bus.AddConsumer<EscalateOnMissedCheckIn>();
            bus.AddConsumer<EscalateOnEmergencyCheckIn>();
            bus.AddConsumer<DestroyCaseKey>();
        });

        builder.Services.AddSingleton<OverdueDetector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OverdueDetector>());
        return builder;
    }

    /// <summary>
    /// How the case documents are stored: the service's store, and the table <c>rebuild-cases</c> fills beside it.
    /// </summary>
    internal static void MapCases(StoreOptions options) =>
        options.Schema.For<TriageCase>()
            // The id carried in the index: the queue's count joins open cases to the organisation's
            // holdings on the two indexes alone (index-only scans), without reading a case document.
            .Duplicate(c => c.Status, configure: index => index.IncludeColumns = ["id"])
            .Duplicate(c => c.ResponsibleOfficer)
            .Duplicate(c => c.NextDueAt)
            .Duplicate(c => c.TriageDueAt);

    /// <summary>
    /// Only a rebuild runs the inline case projection through the daemon. With Marten's defaults (pages of
    /// 500 events, every case in a page loaded again from its stored document before the page applies) a
    /// rebuild read each case's document back once per page it appears in: a case with a long plan
    /// (10,000 measures) was read and written 20 times, and each page paid its own round trips. Pages of
    /// 5,000 events, and the cases kept in memory between pages (a rebuild is their only writer),
    /// roughly halve the rebuild's time on a copy of triage's store.
    /// </summary>
    private static SelfApplyingProjection<TriageCase> RebuildsInLargePages(SelfApplyingProjection<TriageCase> cases)
    {
        cases.Options.BatchSize = 5_000;
        cases.Options.MaximumHopperSize = 20_000;
        cases.Options.CacheLimitPerTenant = 5_000;
        return cases;
    }
}
