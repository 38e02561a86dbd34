using Protection.Relocations.Relocations.CheckingIn;
using Protection.Relocations.Relocations.Closing;
using Protection.Relocations.Relocations.Extending;
using Protection.Relocations.Relocations.Moving;
using Protection.Relocations.Relocations.Planning;
using Protection.Relocations.Relocations.Reading;
using Protection.Relocations.Relocations.Requesting;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Protection.Relocations.Relocations;

/// <summary>
/// The relocation routes. Each handler's signature declares its refusals (404, 403, 409, 422), so the
/// OpenAPI document lists them without more metadata here.
/// </summary>
public static class RelocationsApi
{
    public static IEndpointRouteBuilder MapRelocationEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/cases/{id:guid}/relocations")
            .WithTags("Relocations")
            .RequireAuthorization(Policies.Officer);

        cases.MapPost("/", RequestRelocation.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .WithName("RequestRelocation")
            .WithSummary("Request a relocation for the case (one in progress at a time).");

        cases.MapGet("/", GetCaseRelocations.Handle)
            .RecordsCaseRead(CaseReads.Relocations)
            .WithName("CaseRelocations")
            .WithSummary("The case's relocations and triage's recommendation, if any.");

        app.MapGet("/api/relocations/hosted", GetHostedRelocations.Handle)
            .WithTags("Relocations")
            .RequireAuthorization(Policies.Officer)
            .WithName("HostedRelocations")
            .WithSummary(
                "The relocations hosted by your organisation, newest first: in full with the defender's consent "
                + "to share with the host, else only dates and check-ins.");

        var relocations = app.MapGroup("/api/relocations/{id:guid}")
            .WithTags("Relocations")
            .RequireAuthorization(Policies.Officer);

        relocations.MapGet("/", GetRelocation.Handle)
            .RecordsCaseRead(CaseReads.Relocation, routeIdIsCase: false)
            .AddOpenApiOperationTransformer(EitherView)
            .WithName("GetRelocation")
            .WithSummary("State, people, dates, next check-in due, history of transitions.");

        relocations.MapPost("/plan", PlanRelocation.Handle)
            .WithBodyLimit(BodyLimits.LongText)
            .WithName("PlanRelocation")
            .WithSummary(
                "Destination, host, dates, security plan (international: visa plan and return strategy).");

        relocations.MapPost("/depart", MoveRelocation.Endpoint(MoveRelocation.Depart))
            .WithBodyLimit(BodyLimits.Small)
            .WithName("DepartRelocation")
            .WithSummary("The defender left; check-ins are due from now.");

        relocations.MapPost("/arrive", MoveRelocation.Endpoint(MoveRelocation.Arrive))
            .WithBodyLimit(BodyLimits.Small)
            .WithName("ArriveRelocation");

        relocations.MapPost("/check-ins", RecordCheckIn.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .WithName("CheckIn")
            .WithSummary("Safe, concern or emergency; an emergency escalates the case in triage at once.");

        relocations.MapPost("/extend", ExtendStay.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .WithName("ExtendStay")
            .WithSummary("A later end date (at most 12 months in all), with a reason.");

        relocations.MapPost("/return", MoveRelocation.Endpoint(MoveRelocation.Return))
            .WithBodyLimit(BodyLimits.Small)
            .WithName("ReturnFromRelocation");

        relocations.MapPost("/resettle", MoveRelocation.Endpoint(MoveRelocation.Resettle))
            .WithBodyLimit(BodyLimits.Small)
            .WithName("Resettle")
            .WithSummary("The defender stays at the destination for good.");

        relocations.MapPost("/close", CloseRelocation.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .WithName("CloseRelocation")
            .WithSummary("After the return or resettlement; before the move it cancels (reason required).");

        return app;
    }

    /// <summary>
    /// ApiExplorer keeps one type per status (the last declared: the dates), so a read's 200 is declared here
    /// as what it is: the full view (the component every step answers with) or, for the host organisation
    /// without the defender's consent, the dates only.
    /// </summary>
    private static Task EitherView(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) == true
            && ok!.Content?.TryGetValue("application/json", out var media) == true
            && media!.Schema is { } dates)
        {
            media.Schema = new OpenApiSchema
            {
                OneOf = [new OpenApiSchemaReference(nameof(RelocationView), context.Document), dates],
            };
        }

        return Task.CompletedTask;
    }
}
