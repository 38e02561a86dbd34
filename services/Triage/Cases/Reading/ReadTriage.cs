using Marten;
using Marten.Linq.MatchesSql;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.Triage.Cases.Reading;

public sealed record QueueItem(
    Guid CaseId,
    string Reference,
    string Country,
    RiskLevel Risk,
    RiskBasis RiskBasis,
    string? AssignedTo,
    string ResponsibleOfficer,
    bool AwaitingTriage,
    DateTimeOffset? DueAt,
    bool Overdue,
    IReadOnlyList<ThreatType> ThreatTypes,
    DateTimeOffset OpenedAt);

public sealed record TriageQueue(IReadOnlyList<QueueItem> Items, int Page, int PageSize, long Total);

public static class ReadTriage
{
    /// <summary>
    /// <c>GET /api/cases/{id}/triage</c>: the case's risk (with reasons and history), deadline, assignee
    /// and plan; notes and reasons opened with the case's key ("[erased]" once it is destroyed).
    /// </summary>
    public static async Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem>> Case(
        Guid id,
        HttpContext http,
        IQuerySession session,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var @case = await session.LoadAsync<TriageCase>(id, cancellationToken);
        var holding = await CaseHolding.OfAsync(session, id, cancellationToken);
        if ((@case is null ? Refusal.NotFound(CaseAccess.What) : CaseAccess.Read(http.User, @case, holding))
            is { } refused)
        {
            return Answers.Read<TriageView>(http, refused);
        }

        var seal = await keys.ForReadingAsync(session, id, cancellationToken);
        return Answers.Read<TriageView>(http, TriageView.Of(@case!, holding, seal, http.User, clock.GetUtcNow()));
    }

    /// <summary>
    /// <c>GET /api/triage/queue</c>: open cases, the most urgent first: by the triage deadline while
    /// a case awaits assessment, otherwise by its next open measure; overdue ones therefore lead.
    /// Only the reader's organisation's cases: its supervisors see all of them, its officers their own.
    /// </summary>
    public static async Task<Results<Ok<TriageQueue>, UnprocessableProblem>> Queue(
        HttpContext http,
        IQuerySession session,
        TimeProvider clock,
        CancellationToken cancellationToken,
        bool awaitingOnly = false,
        string? risk = null,
        int page = 1,
        int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        var riskFilter = QueryValues.Enum<RiskLevel>(risk, nameof(risk), errors);
        QueryValues.Paging(page, pageSize, errors);

        if (errors.Count > 0)
        {
            return UnprocessableProblem.For(errors, "The queue cannot be produced.");
        }

        // The queue is work: the reader's organisation's own cases, never those shared with it.
        // One query: the holdings are joined in PostgreSQL, not fetched (every id the organisation owns) and
        // sent back as a list; with thousands of cases that round trip was most of the queue's time.
        var holdings = session.DocumentStore.Options.Schema.For<CaseHolding>();
        var organisation = http.User.OrganisationId() ?? string.Empty;
        IQueryable<TriageCase> query = session.Query<TriageCase>()
            .Where(c => c.Status == TriageStatus.Open
                && c.MatchesSql($"d.id in (select h.id from {holdings} as h where h.owner = ?)", organisation));
        if (!CaseAccess.IsSupervisor(http.User))
        {
            var user = http.User.UserId();
            query = query.Where(c => c.ResponsibleOfficer == user);
        }

        if (awaitingOnly)
        {
            query = query.Where(c => c.AwaitingTriage);
        }

        if (riskFilter is { } level)
        {
            query = query.Where(c => c.Risk.Level == level);
        }

        // The count on its own: counting through the page's query (count(*) over ()) carried every open
        // case's document through the window before the limit, and took most of the queue's time.
        var total = await query.CountAsync(cancellationToken);
        var cases = await query
            .OrderBy(c => c.NextDueAt)
            .ThenBy(c => c.OpenedAt)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var items = cases.Select(c => new QueueItem(
            c.Id,
            c.Reference,
            c.Country,
            c.Risk.Level,
            c.Risk.Basis,
            c.AssignedTo,
            c.ResponsibleOfficer,
            c.AwaitingTriage,
            c.NextDueAt,
            c.NextDueAt <= now,
            c.Threats.Select(t => t.Type).Distinct().Order().ToArray(),
            c.OpenedAt)).ToArray();
        return TypedResults.Ok(new TriageQueue(items, page, pageSize, total));
    }
}
