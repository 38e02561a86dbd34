using Marten;
using Marten.Linq;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
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
    RiskLevel? Risk,
    string? AssignedTo,
    DateTimeOffset? TriageDueAt,
    bool TriageOverdue,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastChangedAt);

public sealed record CaseList(IReadOnlyList<CaseSummary> Items, int Page, int PageSize, long Total);

public static class ListCases
{
    /// <summary>
    /// <c>GET /api/cases</c>: newest first. Officers see the cases they are responsible for (assigned to them, or opened by them and unassigned),
    /// supervisors every case. Filters combine with AND.
    /// </summary>
    public static async Task<Results<Ok<CaseList>, ProblemHttpResult>> Handle(
        HttpContext http,
        IQuerySession session,
        TimeProvider clock,
        CancellationToken cancellationToken,
        string? stage = null,
        string? status = null,
        string? country = null,
        string? threatType = null,
        string? risk = null,
        bool? overdue = null,
        int page = 1,
        int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        var stageFilter = QueryValues.Enum<CaseStage>(stage, nameof(stage), errors);
        var statusFilter = QueryValues.Enum<CaseStatus>(status, nameof(status), errors);
        var threatFilter = QueryValues.Enum<ThreatType>(threatType, nameof(threatType), errors);
        var riskFilter = QueryValues.Enum<RiskLevel>(risk, nameof(risk), errors);
        QueryValues.Paging(page, pageSize, errors);

        if (errors.Count > 0)
        {
            return Problems.Unprocessable(errors, "The list cannot be produced.");
        }

        IQueryable<Case> query = session.Query<Case>();
        if (!CaseAccess.IsSupervisor(http.User))
        {
            var user = http.User.UserId();
            query = query.Where(c => c.AssignedTo == user || (c.AssignedTo == null && c.OpenedBy == user));
        }

        if (stageFilter is { } wantedStage)
        {
            query = query.Where(c => c.Stage == wantedStage);
        }

        if (statusFilter is { } wantedStatus)
        {
            query = query.Where(c => c.Status == wantedStatus);
        }

        if (!string.IsNullOrWhiteSpace(country))
        {
            var code = country.ToUpperInvariant();
            query = query.Where(c => c.Country == code);
        }

        if (threatFilter is { } wantedThreat)
        {
            query = query.Where(c => c.Threats.Any(t => t.Type == wantedThreat));
        }

        if (riskFilter is { } wantedRisk)
        {
            query = query.Where(c => c.Risk == wantedRisk);
        }

        var now = clock.GetUtcNow();
        if (overdue is { } wantOverdue)
        {
            query = wantOverdue
                ? query.Where(c => c.TriageDueAt != null && c.TriageDueAt <= now)
                : query.Where(c => c.TriageDueAt == null || c.TriageDueAt > now);
        }

        var cases = await query
            .OrderByDescending(c => c.OpenedAt)
            .ToPagedListAsync(page, pageSize, cancellationToken);

        var items = cases.Select(c => new CaseSummary(
            c.Id, c.Reference, c.Status, c.Stage, c.Country, c.ThreatTypes, c.Risk, c.AssignedTo, c.TriageDueAt, c.TriageDueAt <= now, c.OpenedBy, c.OpenedAt, c.LastChangedAt)).ToArray();
        return TypedResults.Ok(new CaseList(items, page, pageSize, cases.TotalItemCount));
    }
}
