using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Protection.EmergencyAssistance.Funds.Reading;

public static class ListFunds
{
    /// <summary><c>GET /api/funds</c>: every fund, by name.</summary>
    public static async Task<Ok<IReadOnlyList<FundView>>> Handle(
        IQuerySession session, CancellationToken cancellationToken)
    {
        var funds = await session.Query<Fund>().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<FundView>>(funds.Select(FundView.Of).ToArray());
    }
}
