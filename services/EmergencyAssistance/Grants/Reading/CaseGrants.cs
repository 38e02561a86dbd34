using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.EmergencyAssistance.Cases;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reading;

public static class CaseGrants
{
    /// <summary>
    /// <c>GET /api/cases/{id}/grants</c>: the grants of one case, for its owner's caseworkers; a partner's officers
    /// and supervisors read them too, the texts only with the referral's consent to personal data. Another
    /// organisation's case is 404.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<GrantView>>, NotFoundProblem, ForbiddenProblem>> Handle(
        Guid id,
        HttpContext http,
        IQuerySession session,
        CaseKeys keys,
        IOptions<AssistanceOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<CaseRecord>(id, cancellationToken) is not { } @case)
        {
            return NotFoundProblem.For("The case");
        }

        var onCase = GrantAccess.CaseSight(http.User, @case);
        if (onCase.Refusal is { Kind: RefusalKind.NotFound })
        {
            return NotFoundProblem.For("The case");
        }

        if (onCase.Refusal is { } refused)
        {
            return new ForbiddenProblem(Answers.Problem(refused));
        }

        var now = clock.GetUtcNow();
        var grants = await session.Query<Grant>().Where(g => g.CaseId == id).OrderBy(g => g.RequestedAt)
            .ToListAsync(cancellationToken);
        var seal = await keys.ForReadingAsync(session, id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<GrantView>>(
            grants.Select(g => GrantView.Of(
                g, seal, options.Value, now, GrantAccess.SightOf(http.User, g, g.FundOrganisation, @case).Value
                    ?? onCase.Value!)).ToArray());
    }
}
