using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reading;

public sealed record GrantList(IReadOnlyList<GrantView> Items, int Page, int PageSize, long Total);

public static class ListGrants
{
    /// <summary>
    /// <c>GET /api/grants</c>: pending decisions first, by deadline. Funders and supervisors see all;
    /// officers the grants they requested.
    /// </summary>
    public static async Task<Results<Ok<GrantList>, UnprocessableProblem>> Handle(
        HttpContext http,
        IQuerySession session,
        PersonalDataVault vault,
        IOptions<AssistanceOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken,
        string? status = null,
        int page = 1,
        int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = QueryValues.Enum<GrantStatus>(status, nameof(status), errors);
        QueryValues.Paging(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return UnprocessableProblem.For(errors, "The list cannot be produced.");
        }

        IQueryable<Grant> query = session.Query<Grant>();
        if (GrantAccess.ListsOnlyRequestedBy(http.User) is { } requester)
        {
            query = query.Where(g => g.RequestedBy == requester);
        }

        if (statusFilter is { } wanted)
        {
            query = query.Where(g => g.Status == wanted);
        }

        var grants = await query.OrderBy(g => g.Rank).ThenBy(g => g.DecisionDueAt).ThenBy(g => g.RequestedAt)
            .ToPagedListAsync(page, pageSize, cancellationToken);
        var now = clock.GetUtcNow();
        var seals = await SealsOf(session, vault, grants.Select(g => g.CaseId), cancellationToken);
        var views = grants.Select(g =>
            GrantView.Of(g, seals.GetValueOrDefault(g.CaseId), options.Value, now, http.User));
        return TypedResults.Ok(new GrantList(views.ToArray(), page, pageSize, grants.TotalItemCount));
    }

    /// <summary>
    /// The keys of a page of grants' cases in one query; a case whose personal data was erased has none.
    /// </summary>
    private static async Task<IReadOnlyDictionary<Guid, CaseSeal>> SealsOf(
        IQuerySession session, PersonalDataVault vault, IEnumerable<Guid> caseIds, CancellationToken cancellationToken)
    {
        var stored = await session.LoadManyAsync<CaseKey>(cancellationToken, caseIds.Distinct());
        return stored.ToDictionary(k => k.Id, k => new CaseSeal(vault, k.Id, vault.Unwrap(k)));
    }
}
