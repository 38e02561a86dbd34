using JasperFx.Events.Projections;
using Marten;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;
using Protection.Triage.Alerts;
using Protection.Triage.Assessing;
using Protection.Triage.Assigning;
using Protection.Triage.Cases;
using Protection.Triage.Closing;
using Protection.Triage.Deadlines;
using Protection.Triage.Intake;
using Protection.Triage.Planning;
using Protection.Triage.Reading;
using Protection.Triage.Risk;
using Protection.ServiceDefaults.Http;

namespace Protection.Triage;

public static class TriageModule
{
    public const string ServiceName = "triage";

    public static IHostApplicationBuilder AddTriage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TriageOptions>()
            .BindConfiguration(TriageOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TriageOptions>, TriageOptionsValidator>();
        builder.Services.AddSingleton<TriageDecisions>();
        PersonalDataVault.AddPersonalDataVault(builder);

        // Here and not in the service defaults: the validation source generator only sees calls in this project.
        builder.Services.AddValidation();

        builder.AddEventStore(ServiceName, options =>
        {
            options.Projections.Snapshot<TriageCase>(SnapshotLifecycle.Inline);
            options.Schema.For<TriageCase>()
                .Duplicate(c => c.Status)
                .Duplicate(c => c.ResponsibleOfficer)
                .Duplicate(c => c.NextDueAt)
                .Duplicate(c => c.TriageDueAt);

            // Notes and reasons are sealed with the case's key; erasure (CaseErased) destroys it.
            options.Schema.For<CaseKey>();
        });
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<TakeInOpenedCase>();
            bus.AddConsumer<AddReportedThreat>();
            bus.AddConsumer<EscalateOnMissedCheckIn>();
            bus.AddConsumer<EscalateOnEmergencyCheckIn>();
            bus.AddConsumer<DestroyCaseKey>();
        });

        builder.Services.AddSingleton<OverdueDetector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OverdueDetector>());
        return builder;
    }

    public static IEndpointRouteBuilder MapTriageApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases/{id:guid}").WithTags("Triage");

        cases.MapGet("/triage", ReadTriage.Case)
            .RequireAuthorization(Policies.CaseReader)
            .RecordsCaseRead(CaseReads.Triage)
            .WithName("GetTriage")
            .WithSummary("The case's risk with its reasons and history, deadline, assignee, protection plan and coverage per framework area.");

        cases.MapPost("/assessment", AssessCase.Assess)
            .WithBodyLimit(BodyLimits.LongText)
            .RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("AssessCase")
            .WithSummary("Score the five Secure, Here and Now dimensions (0-3); answers the risk level with the rules that produced it.");

        cases.MapPost("/assessment/override", AssessCase.Override)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Supervisor)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("OverrideRisk")
            .WithSummary("Supervisor: set the risk level by hand, with a reason kept in the case's history.");

        cases.MapPost("/assignment", AssignCase.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Supervisor)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("AssignCase")
            .WithSummary("Supervisor: assign the case to an officer (by user id).");

        cases.MapPost("/plan/measures", PlanMeasures.Add)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("AddMeasure")
            .WithSummary("Add a protection-plan measure: framework area, type, owner, due date.");

        cases.MapPost("/plan/measures/{measureId:guid}/complete", PlanMeasures.Complete)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("CompleteMeasure");

        cases.MapPost("/plan/measures/{measureId:guid}/cancel", PlanMeasures.Cancel)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("CancelMeasure");

        cases.MapPost("/close", CloseCase.Close)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("CloseCase")
            .WithSummary("Close the case with an outcome.");

        cases.MapPost("/reopen", CloseCase.Reopen)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("ReopenCase")
            .WithSummary("Re-open a closed case, with a reason; it re-enters the triage queue.");

        app.MapGet("/api/triage/queue", ReadTriage.Queue)
            .RequireAuthorization(Policies.Officer)
            .WithTags("Triage")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .WithName("TriageQueue")
            .WithSummary("Open cases, most urgent first (overdue lead), with risk, deadline and assignee.");

        return app;
    }
}
