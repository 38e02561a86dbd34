using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.Disbursing;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.EmergencyAssistance.Grants.Reporting;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.EmergencyAssistance.Grants.Withdrawing;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Grants;

public static class GrantsApi
{
    public static IEndpointRouteBuilder MapGrantsApi(this IEndpointRouteBuilder app)
    {
        const string ofCase = "/api/cases/{id:guid}/grants";

        app.MapPost(ofCase, RequestGrant.Handle)
            .WithTags("Grants")
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("RequestGrant")
            .WithSummary("Request an emergency grant for a case from a fund.");

        app.MapGet(ofCase, CaseGrants.Handle)
            .WithTags("Grants")
            .RequireAuthorization(Policies.Officer)
            .RecordsCaseRead(CaseReads.Grants)
            .WithName("CaseGrants")
            .WithSummary("The grants of one case.");

        var grants = app.MapGroup("/api/grants").WithTags("Grants");

        grants.MapGet("/", ListGrants.Handle)
            .RequireAuthorization(Policies.GrantReader)
            .WithName("ListGrants")
            .WithSummary("Pending decisions first, by deadline. "
                + "Funders and supervisors see all; officers the grants they requested.");

        grants.MapGet("/{id:guid}", GetGrant.Handle)
            .RequireAuthorization(Policies.GrantReader)
            .RecordsCaseRead(CaseReads.Grant, routeIdIsCase: false)
            .WithName("GetGrant");

        grants.MapPost("/{id:guid}/decisions", DecideGrant.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Funder)
            .WithName("DecideGrant")
            .WithSummary("Approve (optionally a lower amount) or reject with a reason.");

        grants.MapPost("/{id:guid}/disbursements", DisburseGrant.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .RequireAuthorization(Policies.Funder)
            .WithName("DisburseGrant")
            .WithSummary("Record a tranche paid.");

        grants.MapPost("/{id:guid}/reports", SubmitReport.Handle)
            .WithBodyLimit(BodyLimits.LongText)
            .RequireAuthorization(Policies.Officer)
            .WithName("SubmitGrantReport")
            .WithSummary("The accountability report, once the grant is fully paid.");

        grants.MapPost("/{id:guid}/withdrawal", WithdrawGrant.Handle)
            .WithBodyLimit(BodyLimits.Text)
            .RequireAuthorization(Policies.Officer)
            .WithName("WithdrawGrant")
            .WithSummary("Withdraw a pending or approved, unpaid request; releases its reservation.");

        return app;
    }
}
