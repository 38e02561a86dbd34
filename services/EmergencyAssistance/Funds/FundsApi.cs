using Protection.EmergencyAssistance.Funds.Choosing;
using Protection.EmergencyAssistance.Funds.Creating;
using Protection.EmergencyAssistance.Funds.Reading;
using Protection.EmergencyAssistance.Funds.ToppingUp;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Funds;

public static class FundsApi
{
    public static IEndpointRouteBuilder MapFundsApi(this IEndpointRouteBuilder app)
    {
        var funds = app.MapGroup("/api/funds").WithTags("Funds");

        funds.MapPost("/", CreateFund.Handle)
            .RequireAuthorization(Policies.Funder)
            .WithBodyLimit(BodyLimits.Small)
            .WithName("CreateFund")
            .WithSummary("Create a fund with its currency and opening balance.");

        funds.MapGet("/", ListFunds.Handle)
            .RequireAuthorization(Policies.Funder)
            .WithName("ListFunds")
            .WithSummary("The funder's organisation's funds in full.");

        funds.MapGet("/choices", ListFundChoices.Handle)
            .RequireAuthorization(Policies.GrantReader)
            .WithName("ListFundChoices")
            .WithSummary("Every fund to choose one for a request: id, name, currency, organisation; no figures.");

        funds.MapGet("/{id:guid}", GetFund.Handle)
            .RequireAuthorization(Policies.Funder)
            .WithName("GetFund")
            .WithSummary("Balance, reserved, disbursed and available.");

        funds.MapPost("/{id:guid}/top-ups", TopUpFund.Handle)
            .RequireAuthorization(Policies.Funder)
            .WithBodyLimit(BodyLimits.Small)
            .WithName("TopUpFund")
            .WithSummary("Add money to a fund.");

        return app;
    }
}
