using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Protection.EmergencyAssistance.Funds.Choosing;

/// <summary>
/// A fund as officers and supervisors choose one for a grant request: which it is and whose, never its money.
/// </summary>
public sealed record FundChoice(Guid Id, string Name, string Currency, string? Organisation)
{
    public static FundChoice Of(Fund f) => new(f.Id, f.Name, f.Currency, f.Organisation);
}

public static class ListFundChoices
{
    /// <summary>
    /// <c>GET /api/funds/choices</c>: every fund, by name, to choose one for a request: id, name, currency and
    /// organisation, no figures. A fund of another organisation than the case's needs the defender's consent.
    /// </summary>
    public static async Task<Ok<IReadOnlyList<FundChoice>>> Handle(
        IQuerySession session, CancellationToken cancellationToken)
    {
        var funds = await session.Query<Fund>().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<FundChoice>>(funds.Select(FundChoice.Of).ToArray());
    }
}
