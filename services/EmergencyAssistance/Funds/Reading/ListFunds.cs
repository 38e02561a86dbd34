using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;

namespace Protection.EmergencyAssistance.Funds.Reading;

public static class ListFunds
{
    /// <summary>
    /// <c>GET /api/funds</c>: the funder's organisation's funds in full, by name; none to a funder of no
    /// organisation. (Officers and supervisors choose a fund from <c>GET /api/funds/choices</c>.)
    /// </summary>
    public static async Task<Ok<IReadOnlyList<FundView>>> Handle(
        HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        var organisation = http.User.OrganisationId();
        var own = string.IsNullOrEmpty(organisation)
            ? []
            : await session.Query<Fund>().Where(f => f.Organisation == organisation).OrderBy(f => f.Name)
                .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<FundView>>(own.Select(FundView.Of).ToArray());
    }
}
