using Marten;
using Marten.Linq.MatchesSql;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reading;

public sealed record GrantList(IReadOnlyList<GrantView> Items, int Page, int PageSize, long Total);

/// <summary>Grants by their accountability report: <c>due</c> (fully paid, no report yet) or <c>overdue</c>.</summary>
public enum ReportFilter
{
    Due,
    Overdue,
}

public static class ListGrants
{
    /// <summary>
    /// <c>GET /api/grants</c>: pending decisions first, by deadline, in one query. Funders the grants drawn on
    /// their organisation's funds; supervisors the grants of their organisation's cases; officers the grants
    /// they requested on their organisation's cases (<see cref="GrantAccess.ListedFor"/>). Each item as its
    /// reader sees it (<see cref="GrantAccess.SightOf"/>). <paramref name="report"/> keeps the grants whose
    /// accountability report is due (fully paid, not reported) or overdue (due date passed).
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
        int pageSize = 50,
        string? report = null)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = QueryValues.Enum<GrantStatus>(status, nameof(status), errors);
        var reportFilter = QueryValues.Enum<ReportFilter>(report, nameof(report), errors);
        QueryValues.Paging(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return UnprocessableProblem.For(errors, "The list cannot be produced.");
        }

        var (listed, parameters) = GrantAccess.ListedFor(http.User);
        var query = session.Query<Grant>().Where(g => g.MatchesSql(listed, parameters));
        if (statusFilter is { } wanted)
        {
            query = query.Where(g => g.Status == wanted);
        }

        var now = clock.GetUtcNow();
        if (reportFilter is { } reports)
        {
            query = reports == ReportFilter.Overdue
                ? query.Where(g => g.Status == GrantStatus.Disbursed && g.ReportDueAt <= now)
                : query.Where(g => g.Status == GrantStatus.Disbursed);
        }

        var grants = await query.OrderBy(g => g.Rank).ThenBy(g => g.DecisionDueAt).ThenBy(g => g.RequestedAt)
            .ToPagedListAsync(page, pageSize, cancellationToken);
        var seals = await SealsOf(session, vault, grants.Select(g => g.CaseId), cancellationToken);
        var cases = (await session.LoadManyAsync<CaseRecord>(cancellationToken, grants.Select(g => g.CaseId)
            .Distinct())).ToDictionary(c => c.Id);
        var olderFunds = grants.Where(g => g.FundOrganisation is null).Select(g => g.FundId).Distinct().ToArray();
        var fundOrganisations = olderFunds.Length == 0
            ? new Dictionary<Guid, string?>()
            : (await session.LoadManyAsync<Fund>(cancellationToken, olderFunds))
                .ToDictionary(f => f.Id, f => f.Organisation);
        var views = grants.Select(g =>
        {
            var fundOrganisation = g.FundOrganisation ?? fundOrganisations.GetValueOrDefault(g.FundId);
            var sight = GrantAccess.SightOf(http.User, g, fundOrganisation, cases.GetValueOrDefault(g.CaseId));
            return GrantView.Of(
                g, seals.GetValueOrDefault(g.CaseId), options.Value, now, sight.Value ?? GrantSight.Withheld,
                fundOrganisation);
        });
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
