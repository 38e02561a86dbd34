using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.Triage.Cases.Assessing;
using Protection.Triage.Cases.Assigning;
using Protection.Triage.Cases.Closing;
using Protection.Triage.Cases.Overriding;
using Protection.Triage.Cases.Planning;
using Protection.Triage.Cases.Reading;
using Protection.Triage.Cases.Reopening;

namespace Protection.Triage.Cases;

public static class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases/{id:guid}").WithTags("Triage");

        cases.MapGet("/triage", ReadTriage.Case)
            .RequireAuthorization(Policies.CaseReader)
            .RecordsCaseRead(CaseReads.Triage)
            .WithName("GetTriage")
            .WithSummary("The case's risk with its reasons and history, deadline, assignee, protection plan and "
                + "coverage per framework area.");

        cases.MapPost("/assessment", AssessCase.Handle)
            .WithBodyLimit(BodyLimits.LongText)
            .RequireAuthorization(Policies.Officer)
            .WithName("AssessCase")
            .WithSummary("Score the five Secure, Here and Now dimensions (0-3); answers the risk level with the "
                + "rules that produced it.");

        cases.MapPost("/assessment/override", OverrideRisk.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Supervisor)
            .WithName("OverrideRisk")
            .WithSummary("Supervisor: set the risk level by hand, with a reason kept in the case's history.");

        cases.MapPost("/assignment", AssignCase.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Supervisor)
            .WithName("AssignCase")
            .WithSummary("Supervisor: assign the case to an officer (by user id).");

        cases.MapPost("/plan/measures", AddMeasure.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .WithName("AddMeasure")
            .WithSummary("Add a protection-plan measure: framework area, type, owner, due date.");

        cases.MapPost("/plan/measures/{measureId:guid}/complete", ChangeMeasure.Complete)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Officer)
            .WithName("CompleteMeasure");

        cases.MapPost("/plan/measures/{measureId:guid}/cancel", ChangeMeasure.Cancel)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("CancelMeasure");

        cases.MapPost("/close", CloseCase.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("CloseCase")
            .WithSummary("Close the case with an outcome.");

        cases.MapPost("/reopen", ReopenCase.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("ReopenCase")
            .WithSummary("Re-open a closed case, with a reason; it re-enters the triage queue.");

        app.MapGet("/api/triage/queue", ReadTriage.Queue)
            .RequireAuthorization(Policies.Officer)
            .WithTags("Triage")
            .WithName("TriageQueue")
            .WithSummary("Open cases, most urgent first (overdue lead), with risk, deadline and assignee.");

        return app;
    }
}
