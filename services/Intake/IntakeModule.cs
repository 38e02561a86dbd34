using JasperFx.Events.Projections;
using Marten;
using Protection.Intake.Audit;
using Protection.Intake.Cases;
using Protection.Intake.Cases.News;
using Protection.Intake.PersonalData;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.PersonalData;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Messaging;
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

        builder.AddEventStore(ServiceName, options =>
        {
            // Inline: the officer who opens a case reads it back in the same breath.
            options.Projections.Add(new SelfApplyingProjection<Case>(), ProjectionLifecycle.Inline);
            options.Schema.For<Case>()
                .Index(c => c.OpenedBy)
                .Index(c => c.OpenedAt)
                .Duplicate(c => c.Stage)
                .Duplicate(c => c.AssignedTo)
                .Duplicate(c => c.Risk)
                .Duplicate(c => c.TriageDueAt);
            options.Schema.For<CaseKey>();
            options.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(ServiceName, CaseReference.SequenceName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General)));
        });
        builder.AddCaseAudit<IntakeAudit>();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<NoteTriageStarted>();
            bus.AddConsumer<NoteRiskAssessed>();
            bus.AddConsumer<NoteCaseAssigned>();
            bus.AddConsumer<NoteCaseClosed>();
            bus.AddConsumer<NoteCaseReopened>();
            bus.AddConsumer<NoteGrantRequested>();
            bus.AddConsumer<NoteGrantRejected>();
            bus.AddConsumer<NoteGrantWithdrawn>();
            bus.AddConsumer<NoteGrantReportSubmitted>();
            bus.AddConsumer<NoteRelocationRequested>();
            bus.AddConsumer<NoteRelocationClosed>();
        });
        return builder;
    }
}
