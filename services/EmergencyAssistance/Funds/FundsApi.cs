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
        var funds = app.MapGroup("/api/funds").WithTags("Funds").RequireAuthorization(Policies.Funder);

        funds.MapPost("/", CreateFund.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .WithName("CreateFund")
            .WithSummary("Create a fund with its currency and opening balance.");

        funds.MapGet("/", ListFunds.Handle)
            .WithName("ListFunds");

        funds.MapGet("/{id:guid}", GetFund.Handle)
            .WithName("GetFund")
            .WithSummary("Balance, reserved, disbursed and available.");

        funds.MapPost("/{id:guid}/top-ups", TopUpFund.Handle)
            .WithBodyLimit(BodyLimits.Small)
            .WithName("TopUpFund")
            .WithSummary("Add money to a fund.");

        return app;
    }
}
