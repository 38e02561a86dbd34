using Marten;
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
    DateTimeOffset LastChangedAt,
    string? Organisation,
    bool Shared);

public sealed record CaseList(IReadOnlyList<CaseSummary> Items, int Page, int PageSize, long Total);

public static class ListCases
{
    /// <summary>
    /// <c>GET /api/cases</c>: newest first. Officers see the cases they are responsible for (assigned to
    /// them, or opened by them and unassigned), supervisors every case. Filters combine with AND.
    /// </summary>
    /// <remarks>
    /// One query joins each case with what intake learned of it (<see cref="CaseProgress"/>), where the
    /// stage, status, risk, assignee and deadline are: it filters, pages and counts in the database.
    /// </remarks>
    public static async Task<Results<Ok<CaseList>, UnprocessableProblem>> Handle(
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
            return UnprocessableProblem.For(errors, "The list cannot be produced.");
        }

        var now = clock.GetUtcNow();
        var filter = new Filter();
        var serializer = session.DocumentStore.Options.Serializer();
        var organisation = http.User.OrganisationId() ?? string.Empty;

        // The organisation's own cases (all of them for a supervisor, an officer's own for an officer) and
        // the cases shared with it by an accepted referral.
        var shared = serializer.ToJson(new { Partners = new[] { new { Organisation = organisation } } });
        if (CaseAccess.IsSupervisor(http.User))
        {
            filter.Add("(c.organisation = ^ or c.data @> ^::jsonb)", organisation, shared);
        }
        else
        {
            var user = http.User.UserId();
            filter.Add(
                "((c.organisation = ^ and (p.assigned_to = ^ or (p.assigned_to is null and c.opened_by = ^))) "
                + "or c.data @> ^::jsonb)",
                organisation,
                user,
                user,
                shared);
        }

        // Duplicated enums are stored by name, as the JSON stores them.
        filter.AddIf(stageFilter, "p.stage = ^", v => v.ToString());
        filter.AddIf(statusFilter, "p.status = ^", v => v.ToString());
        filter.AddIf(riskFilter, "p.risk = ^", v => v.ToString());
        if (!string.IsNullOrWhiteSpace(country))
        {
            filter.Add("c.country = ^", country.ToUpperInvariant());
        }

        // Containment in the case's JSON, written by the store's own serializer so it matches what is stored.
        filter.AddIf(threatFilter, "c.data @> ^::jsonb", v => serializer.ToJson(new
        {
            Threats = new[] { new { Type = v } },
        }));
        if (overdue is { } wantOverdue)
        {
            filter.Add(wantOverdue ? "p.triage_due_at <= ^" : "(p.triage_due_at is null or p.triage_due_at > ^)", now);
        }

        var schema = session.DocumentStore.Options.Schema;
        var from = $"from {schema.For<Case>()} c join {schema.For<CaseProgress>()} p on p.id = c.id {filter.Where}";

        // A query session builds a document from its data alone, so each row carries only that.
        var rows = await session.AdvancedSql.QueryAsync<Case, CaseProgress, long>(
            '^',
            $"select row(c.data), row(p.data), row(count(*) over()) {from} "
            + "order by c.opened_at desc, c.id desc limit ^ offset ^",
            cancellationToken,
            [.. filter.Values, pageSize, (long)(page - 1) * pageSize]);

        // A page past the end has no row to carry the total.
        var total = rows.Count > 0 ? rows[0].Item3
            : page == 1 ? 0
            : (await session.AdvancedSql.QueryAsync<long>('^', $"select count(*) {from}", cancellationToken,
                [.. filter.Values]))[0];

        var items = rows.Select(r => Summary(r.Item1, r.Item2.Now, now, organisation)).ToArray();
        return TypedResults.Ok(new CaseList(items, page, pageSize, total));
    }

    private static CaseSummary Summary(Case c, Learned learned, DateTimeOffset now, string reader) => new(
        c.Id,
        c.Reference,
        learned.Status,
        learned.Stage,
        c.Country,
        c.ThreatTypes,
        learned.Risk,
        learned.AssignedTo,
        learned.TriageDueAt,
        learned.TriageDueAt <= now,
        c.OpenedBy,
        c.OpenedAt,
        c.LastChangedAt,
        c.Organisation,
        c.Partners.Any(p => p.Organisation == reader));

    /// <summary>The where clause of the list's query, with its values in order (<c>^</c> marks each).</summary>
    private sealed class Filter
    {
        private readonly List<string> _conditions = [];

        public List<object> Values { get; } = [];

        public string Where => _conditions.Count == 0 ? string.Empty : $"where {string.Join(" and ", _conditions)}";

        public void Add(string condition, params object[] values)
        {
            _conditions.Add(condition);
            Values.AddRange(values);
        }

        public void AddIf<T>(T? wanted, string condition, Func<T, object> value)
            where T : struct
        {
            if (wanted is { } v)
            {
                Add(condition, value(v));
            }
        }
    }
}
