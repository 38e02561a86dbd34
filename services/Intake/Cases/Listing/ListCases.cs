using Marten;
using Marten.Linq;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Listing;

/// <summary>One row of the case list: no personal data, so lists can be shown and exported freely to staff.</summary>
public sealed record CaseSummary(
    Guid Id,
    string Reference,
    CaseStatus Status,
    CaseStage Stage,
    string Country,
    IReadOnlyList<ThreatType> ThreatTypes,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastChangedAt);

public sealed record CaseList(IReadOnlyList<CaseSummary> Items, int Page, int PageSize, long Total);

public static class ListCases
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// <c>GET /api/cases</c>: newest first. Officers see the cases they are responsible for,
    /// supervisors every case. Filters combine with AND.
    /// </summary>
    public static async Task<Results<Ok<CaseList>, ProblemHttpResult>> Handle(
        HttpContext http,
        IQuerySession session,
        CancellationToken cancellationToken,
        CaseStage? stage = null,
        CaseStatus? status = null,
        string? country = null,
        ThreatType? threatType = null,
        int page = 1,
        int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["Pages start at 1."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Unprocessable(errors, "The list cannot be produced.");
        }

        IQueryable<Case> query = session.Query<Case>();
        if (!CaseAccess.IsSupervisor(http.User))
        {
            var user = http.User.UserId();
            query = query.Where(c => c.OpenedBy == user);
        }

        if (stage is not null)
        {
            query = query.Where(c => c.Stage == stage);
        }

        if (status is not null)
        {
            query = query.Where(c => c.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(country))
        {
            var code = country.ToUpperInvariant();
            query = query.Where(c => c.Country == code);
        }

        if (threatType is not null)
        {
            query = query.Where(c => c.Threats.Any(t => t.Type == threatType));
        }

        var cases = await query
            .OrderByDescending(c => c.OpenedAt)
            .ToPagedListAsync(page, pageSize, cancellationToken);

        var items = cases.Select(c => new CaseSummary(
            c.Id, c.Reference, c.Status, c.Stage, c.Country, c.ThreatTypes, c.OpenedBy, c.OpenedAt, c.LastChangedAt)).ToArray();
        return TypedResults.Ok(new CaseList(items, page, pageSize, cases.TotalItemCount));
    }
}
