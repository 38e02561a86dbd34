using JasperFx.Events.Projections;
using Marten;
using Protection.Intake.Audit;
using Protection.Intake.Cases;
using Protection.Intake.Cases.News;
using Protection.Intake.PersonalData;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;
using Weasel.Postgresql;

namespace Protection.Intake;

public static class IntakeModule
{
    public const string ServiceName = "intake";

    public static WebApplicationBuilder AddIntake(this WebApplicationBuilder builder)
    {
        PersonalDataVault.AddPersonalDataVault(builder);

        // Here and not in the service defaults: the validation source generator only sees calls in this project.
        builder.Services.AddValidation();

        builder.AddEventStore(ServiceName, ConfigureStore);
        builder.Services.InitializeMartenWith<ProgressOfEarlierCases>();
        builder.AddCaseAudit<IntakeAudit>();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddBatchConsumer<NoteTriageStarted>();
            bus.AddBatchConsumer<NoteRiskAssessed>();
            bus.AddBatchConsumer<NoteCaseAssigned>();
            bus.AddBatchConsumer<NoteCaseClosed>();
            bus.AddBatchConsumer<NoteCaseReopened>();
            bus.AddBatchConsumer<NoteGrantRequested>();
            bus.AddBatchConsumer<NoteGrantRejected>();
            bus.AddBatchConsumer<NoteGrantWithdrawn>();
            bus.AddBatchConsumer<NoteGrantReportSubmitted>();
            bus.AddBatchConsumer<NoteRelocationRequested>();
            bus.AddBatchConsumer<NoteRelocationClosed>();
        });
        return builder;
    }

    /// <summary>Intake's documents and events in its Marten store.</summary>
    public static void ConfigureStore(StoreOptions options)
    {
        // Inline: the officer who opens a case reads it back in the same breath.
        options.Projections.Add(new SelfApplyingProjection<Case>(), ProjectionLifecycle.Inline);

        // Columns, not only JSON, for the case list's one query (it filters, orders and pages on them).
        options.Schema.For<Case>()
            .Duplicate(c => c.OpenedBy)
            .Duplicate(c => c.OpenedAt)
            .Duplicate(c => c.Country)
            .Duplicate(c => c.Organisation)
            .Index(c => c.Reference);

        // Fed by several consumers, possibly at the same moment: a write on a stale copy fails and is retried.
        options.Schema.For<CaseProgress>()
            .UseOptimisticConcurrency(true)
            .Duplicate(p => p.Stage)
            .Duplicate(p => p.Status)
            .Duplicate(p => p.Risk)
            .Duplicate(p => p.AssignedTo)
            .Duplicate(p => p.TriageDueAt);

        // The stored names of the events that were renamed apart from the contracts of the same name.
        options.Events.MapEventType<CaseFileOpened>("case_opened");
        options.Events.MapEventType<ThreatRecorded>("threat_reported");
        options.Events.AddEventTypes(ProgressOfEarlierCases.EventTypes);

        options.Schema.For<CaseKey>();
        options.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(
            ServiceName, CaseReference.SequenceName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General)));
    }
}
