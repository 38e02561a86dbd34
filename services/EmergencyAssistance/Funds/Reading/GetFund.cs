using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Funds.Reading;

public static class GetFund
{
    /// <summary>
    /// <c>GET /api/funds/{id}</c>: balance, reserved, disbursed and available, for its organisation's funders;
    /// another organisation's fund is 404.
    /// </summary>
    public static async Task<Results<Ok<FundView>, NotFoundProblem>> Handle(
        Guid id, HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Fund>(id, cancellationToken) is not { } fund
            || !FundAccess.IsFunderOf(http.User, fund))
        {
            return NotFoundProblem.For("The fund");
        }

        http.Response.Headers.ETag = $"\"{fund.Version}\"";
        return TypedResults.Ok(FundView.Of(fund));
    }
}
