using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using JasperFx;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Assistance;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.ServiceDefaults;
using Protection.EventSourcing;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants;

public sealed record GrantRequestInput
{
    [Required]
    public Guid? FundId { get; init; }

    [Required, Range(typeof(decimal), "0.01", "1000000000", ErrorMessage = "A positive amount.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }

    /// <summary>Must be the fund's currency (ISO 4217).</summary>
    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Use the ISO 4217 currency code, e.g. EUR.")]
    public string? Currency { get; init; }

    [Required]
    public GrantCategory? Category { get; init; }

    /// <summary>What the money is for. Funders read it: no names, contacts or places. Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 10)]
    public string? Purpose { get; init; }

    /// <summary>How many people the grant covers (the defender and family members).</summary>
    [Required, Range(1, 100)]
    public int? PeopleCovered { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DecisionKind>))]
public enum DecisionKind
{
    Approve,
    Reject,
}

public sealed record DecisionInput
{
    [Required]
    public DecisionKind? Decision { get; init; }

    /// <summary>For an approval: the amount approved, the requested amount when absent (partial approval is allowed).</summary>
    [Range(typeof(decimal), "0.01", "1000000000", ErrorMessage = "A positive amount.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }

    /// <summary>Required for a rejection. Stored sealed with the case's key.</summary>
    [StringLength(2000)]
    public string? Reason { get; init; }
}

public sealed record DisbursementInput
{
    [Required, Range(typeof(decimal), "0.01", "1000000000", ErrorMessage = "A positive amount.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }
}

public sealed record ReportInput
{
    [Required, Range(typeof(decimal), "0", "1000000000", ErrorMessage = "Zero or more.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Spent { get; init; }

    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(8000, MinimumLength = 10)]
    public string? Summary { get; init; }
}

public sealed record WithdrawalInput
{
    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 3)]
    public string? Reason { get; init; }
}

public sealed record RejectionView(string Funder, string Reason, DateTimeOffset At);

public sealed record ReportView(decimal Spent, string Summary, string By, DateTimeOffset At);

/// <summary>
/// A grant as funders and officers see it: the case by reference, country, risk and threat types,
/// never who or where. Purpose, rejection reason and report summary are opened with the case's key
/// and read "[erased]" once the case's personal data was erased.
/// </summary>
public sealed record GrantView(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    string Country,
    RiskLevel? Risk,
    IReadOnlyList<ThreatType> ThreatTypes,
    Guid FundId,
    string Currency,
    decimal RequestedAmount,
    decimal? ApprovedAmount,
    GrantCategory Category,
    string Purpose,
    int PeopleCovered,
    GrantStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset DecisionDueAt,
    bool DecisionOverdue,
    IReadOnlyList<Approval> Approvals,
    int ApprovalsNeeded,
    RejectionView? Rejection,
    IReadOnlyList<Tranche> Tranches,
    decimal Disbursed,
    decimal StillToPay,
    DateTimeOffset? ReportDueAt,
    bool ReportOverdue,
    ReportView? Report,
    long Version)
{
    /// <param name="seal">The key of the grant's case; null once its personal data was erased.</param>
    /// <param name="reader">Who asks: see <see cref="ReadsTexts"/>.</param>
    public static GrantView Of(Grant g, CaseSeal? seal, AssistanceOptions options, DateTimeOffset now, ClaimsPrincipal reader)
    {
        var readsTexts = ReadsTexts(reader, g);
        string Text(SealedData sealedData) => readsTexts ? CaseKeys.Text(seal, sealedData)! : CaseKeys.Withheld;
        return new(
            g.Id, g.CaseId, g.CaseReference, g.Country, g.Risk, g.ThreatTypes, g.FundId, g.Currency, g.RequestedAmount, g.ApprovedAmount,
            g.Category, CaseKeys.Text(seal, g.Purpose)!, g.PeopleCovered, g.Status, g.RequestedBy, g.RequestedAt, g.DecisionDueAt,
            g.Status == GrantStatus.Pending && g.DecisionDueAt <= now,
            g.Approvals,
            g.Approvals.Select(a => a.Amount).Append(g.RequestedAmount).Min() > options.TwoApprovalsAbove ? 2 : 1,
            g.Rejection is { } r ? new RejectionView(r.Funder, Text(r.Reason), r.At) : null,
            g.Tranches, g.Disbursed, g.StillReserved, g.ReportDueAt,
            g.Status == GrantStatus.Disbursed && g.ReportDueAt <= now,
            g.Report is { } report ? new ReportView(report.Spent, Text(report.Summary), report.By, report.At) : null,
            g.Version);
    }

    /// <summary>
    /// Every funder reads a grant's purpose (they decide on it); its rejection reason and report only
    /// the funders who approved, rejected or paid it, besides the case's officer and supervisors.
    /// </summary>
    public static bool ReadsTexts(ClaimsPrincipal reader, Grant g)
    {
        if (reader.IsInRole(Roles.Officer) || reader.IsInRole(Roles.Supervisor))
        {
            return true;
        }

        var user = reader.UserId();
        return g.Approvals.Any(a => a.Funder == user) || g.Rejection?.Funder == user || g.Tranches.Any(t => t.By == user);
    }
}

public sealed record GrantList(IReadOnlyList<GrantView> Items, int Page, int PageSize, long Total);

public static class GrantsApi
{
    public static IEndpointRouteBuilder MapGrantsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cases/{id:guid}/grants", Request).WithBodyLimit(BodyLimits.Text).RequireAuthorization(Policies.Officer).WithTags("Grants")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("RequestGrant").WithSummary("Request an emergency grant for a case from a fund.");
        app.MapGet("/api/cases/{id:guid}/grants", ForCase).RequireAuthorization(Policies.Officer).RecordsCaseRead(CaseReads.Grants).WithTags("Grants")
            .WithName("CaseGrants").WithSummary("The grants of one case.");

        var grants = app.MapGroup("/api/grants").WithTags("Grants");
        grants.MapGet("/", List).RequireAuthorization(Policies.GrantReader)
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .WithName("ListGrants").WithSummary("Pending decisions first, by deadline. Funders and supervisors see all; officers the grants they requested.");
        grants.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.GrantReader).RecordsCaseRead(CaseReads.Grant, routeIdIsCase: false).WithName("GetGrant");
        grants.MapPost("/{id:guid}/decisions", Decide).WithBodyLimit(BodyLimits.Text).RequireAuthorization(Policies.Funder)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("DecideGrant").WithSummary("Approve (optionally a lower amount) or reject with a reason.");
        grants.MapPost("/{id:guid}/disbursements", Disburse).WithBodyLimit(BodyLimits.Small).RequireAuthorization(Policies.Funder)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("DisburseGrant").WithSummary("Record a tranche paid.");
        grants.MapPost("/{id:guid}/reports", SubmitReport).WithBodyLimit(BodyLimits.LongText).RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("SubmitGrantReport").WithSummary("The accountability report, once the grant is fully paid.");
        grants.MapPost("/{id:guid}/withdrawal", Withdraw).WithBodyLimit(BodyLimits.Text).RequireAuthorization(Policies.Officer)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("WithdrawGrant").WithSummary("Withdraw a pending or approved, unpaid request; releases its reservation.");
        return app;
    }

    /// <summary>
    /// <c>POST /api/cases/{id}/grants</c>. The purpose is sealed with the case's key, made with the
    /// case's first grant (after an erasure, a new one: what was sealed before still reads "[erased]").
    /// Requests of one case take turns, so two first grants do not both make a key.
    /// </summary>
    public static Task<Results<Created<GrantView>, ProblemHttpResult>> Request(
        Guid id, GrantRequestInput input, HttpContext http, IDocumentStore store, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        StripedLocks.Cases.RunAsync(id, () => OptimisticRetry.RunAsync(store, callerPinnedVersion: false, async session =>
        {
            var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
            if (@case is null || !@case.IsKnown)
            {
                return (Results<Created<GrantView>, ProblemHttpResult>)Problems.NotFound("The case");
            }

            if (!IsCaseworker(http.User, @case))
            {
                return Problems.Forbidden("This case is not assigned to you.");
            }

            var now = clock.GetUtcNow();
            var fund = await session.LoadAsync<Fund>(input.FundId!.Value, cancellationToken);
            var seal = await keys.ForCaseAsync(session, id, create: true, now, cancellationToken);
            var change = rules.Request(@case, fund, input.FundId.Value, input.Amount!.Value, input.Currency!, input.Category!.Value, seal!.Seal(input.Purpose!),
                input.PeopleCovered!.Value, http.User.UserId(), now);
            if (change.Problem is not null)
            {
                return change.Problem;
            }

            var grant = GrantChanges.Start(session, (GrantRequested)change.GrantEvents[0], now);
            await SaveAsync(session, id, cancellationToken);
            grant.Version = 1;
            http.Response.Headers.ETag = "\"1\"";
            return TypedResults.Created($"/api/grants/{grant.Id}", GrantView.Of(grant, seal, rules.Options, now, http.User));
        }), cancellationToken);

    public static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Get(
        Guid id, HttpContext http, IQuerySession session, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var grant = await session.LoadAsync<Grant>(id, cancellationToken);
        if (grant is null)
        {
            return Problems.NotFound("The grant");
        }

        http.ReadsCase(grant.CaseId);
        if (!await MayRead(http.User, grant, session, cancellationToken))
        {
            return Problems.Forbidden("This grant is not one of your cases'.");
        }

        var seal = await keys.ForReadingAsync(session, grant.CaseId, cancellationToken);
        http.Response.Headers.ETag = $"\"{grant.Version}\"";
        return TypedResults.Ok(GrantView.Of(grant, seal, rules.Options, clock.GetUtcNow(), http.User));
    }

    public static async Task<Results<Ok<GrantList>, ProblemHttpResult>> List(
        HttpContext http, IQuerySession session, GrantRules rules, PersonalDataVault vault, TimeProvider clock, CancellationToken cancellationToken,
        string? status = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        var statusFilter = QueryValues.Enum<GrantStatus>(status, nameof(status), errors);
        QueryValues.Paging(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return Problems.Unprocessable(errors, "The list cannot be produced.");
        }

        IQueryable<Grant> query = session.Query<Grant>();
        if (!http.User.IsInRole(Roles.Funder) && !http.User.IsInRole(Roles.Supervisor))
        {
            var user = http.User.UserId();
            query = query.Where(g => g.RequestedBy == user);
        }

        if (statusFilter is { } wanted)
        {
            query = query.Where(g => g.Status == wanted);
        }

        var grants = await query.OrderBy(g => g.Rank).ThenBy(g => g.DecisionDueAt).ThenBy(g => g.RequestedAt).ToPagedListAsync(page, pageSize, cancellationToken);
        var now = clock.GetUtcNow();
        var seals = await SealsOf(session, vault, grants.Select(g => g.CaseId), cancellationToken);
        return TypedResults.Ok(new GrantList(
            grants.Select(g => GrantView.Of(g, seals.GetValueOrDefault(g.CaseId), rules.Options, now, http.User)).ToArray(), page, pageSize, grants.TotalItemCount));
    }

    public static async Task<Results<Ok<IReadOnlyList<GrantView>>, ProblemHttpResult>> ForCase(
        Guid id, HttpContext http, IQuerySession session, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
        if (@case is null)
        {
            return Problems.NotFound("The case");
        }

        if (!IsCaseworker(http.User, @case))
        {
            return Problems.Forbidden("This case is not assigned to you.");
        }

        var now = clock.GetUtcNow();
        var grants = await session.Query<Grant>().Where(g => g.CaseId == id).OrderBy(g => g.RequestedAt).ToListAsync(cancellationToken);
        var seal = await keys.ForReadingAsync(session, id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<GrantView>>(grants.Select(g => GrantView.Of(g, seal, rules.Options, now, http.User)).ToArray());
    }

    public static Task<Results<Ok<GrantView>, ProblemHttpResult>> Decide(
        Guid id, DecisionInput input, HttpContext http, IDocumentStore store, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        GrantChange Approve(Grant grant, Fund fund, DateTimeOffset now) => rules.Approve(grant, fund, http.User.UserId(), input.Amount, now);
        var approving = input.Decision == DecisionKind.Approve;
        return Execute(id, http, store, rules, keys, clock, seals: !approving, (_, grant, fund, seal, now) => Task.FromResult(approving
            ? Approve(grant, fund, now)
            : rules.Reject(grant, http.User.UserId(), input.Reason, seal!.Seal, now)), cancellationToken,
            refusesWithoutTurn: approving ? Approve : null);
    }

    public static Task<Results<Ok<GrantView>, ProblemHttpResult>> Disburse(
        Guid id, DisbursementInput input, HttpContext http, IDocumentStore store, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, seals: false,
            (_, grant, _, _, now) => Task.FromResult(rules.Disburse(grant, input.Amount!.Value, http.User.UserId(), now)), cancellationToken);

    public static Task<Results<Ok<GrantView>, ProblemHttpResult>> SubmitReport(
        Guid id, ReportInput input, HttpContext http, IDocumentStore store, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, seals: true, async (session, grant, _, seal, now) => await MayAct(http.User, grant, session, cancellationToken)
            ? rules.SubmitReport(grant, input.Spent!.Value, seal!.Seal(input.Summary!), http.User.UserId(), now)
            : Problems.Forbidden("This grant is not one of your cases'."), cancellationToken);

    public static Task<Results<Ok<GrantView>, ProblemHttpResult>> Withdraw(
        Guid id, WithdrawalInput input, HttpContext http, IDocumentStore store, GrantRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, seals: true, async (session, grant, _, seal, now) => await MayAct(http.User, grant, session, cancellationToken)
            ? rules.Withdraw(grant, seal!.Seal(input.Reason!), http.User.UserId(), now)
            : Problems.Forbidden("This grant is not one of your cases'."), cancellationToken);

    /// <summary>
    /// Loads the grant and its fund for writing, decides, appends to both at the versions read and
    /// commits in one transaction. Decisions on one fund take turns in this process (no reservation
    /// races); across processes the fund's expected version refuses the loser, which decides again
    /// on the new figures. A fund therefore never goes below zero. When <paramref name="seals"/>,
    /// <paramref name="decide"/> gets the case's key to seal its free text with (made if the case has
    /// none: an erased case gets a new one); otherwise the key, if any, only opens the answer.
    /// </summary>
    /// <param name="refusesWithoutTurn">
    /// The same rule without I/O, for a command whose refusal needs no turn (an approval): decided on the
    /// committed grant and fund before waiting, and again whenever a decision in this process left the
    /// fund with less than this one would reserve. A refusal so read is the answer at that moment; only
    /// a change that appends waits for its turn. A burst of approvals on one fund is then answered as fast
    /// as the fund runs out, not one by one behind every approval queued before it.
    /// </param>
    private static async Task<Results<Ok<GrantView>, ProblemHttpResult>> Execute(
        Guid id,
        HttpContext http,
        IDocumentStore store,
        GrantRules rules,
        CaseKeys keys,
        TimeProvider clock,
        bool seals,
        Func<IDocumentSession, Grant, Fund, CaseSeal?, DateTimeOffset, Task<GrantChange>> decide,
        CancellationToken cancellationToken,
        Func<Grant, Fund, DateTimeOffset, GrantChange>? refusesWithoutTurn = null)
    {
        Guid fundId, caseId;
        await using (var query = store.QuerySession())
        {
            var known = await query.LoadAsync<Grant>(id, cancellationToken);
            if (known is null)
            {
                return Problems.NotFound("The grant");
            }

            (fundId, caseId) = (known.FundId, known.CaseId);
        }

        var pinned = Problems.IfMatchVersion(http.Request);
        decimal? reserving = null;
        async Task<Results<Ok<GrantView>, ProblemHttpResult>?> RefusedWithoutTurn()
        {
            if (reserving is { } amount && (amount == 0
                || !(AvailableAfterLastDecision.TryGetValue(fundId, out var available) && available < amount)))
            {
                return null; // nothing decided since that could change the last reading's answer
            }

            await using var query = store.QuerySession();
            var grant = await query.LoadAsync<Grant>(id, cancellationToken);
            var fund = await query.LoadAsync<Fund>(fundId, cancellationToken);
            if (grant is null || fund is null)
            {
                return null;
            }

            var change = refusesWithoutTurn!(grant, fund, clock.GetUtcNow());
            reserving = change.FundEvents.OfType<FundsReserved>().Sum(r => r.Amount);
            if (change.Problem is { } refused)
            {
                return refused;
            }

            return null;
        }

        var turn = () => OptimisticRetry.RunAsync(store, pinned is not null, async session =>
        {
            var grant = await session.Events.FetchForWriting<Grant>(id, cancellationToken);
            var fund = await session.Events.FetchForWriting<Fund>(fundId, cancellationToken);
            if (pinned is { } expected && expected != grant.CurrentVersion)
            {
                return (Results<Ok<GrantView>, ProblemHttpResult>)Problems.StaleVersion(grant.CurrentVersion ?? 0);
            }

            var now = clock.GetUtcNow();
            var seal = await keys.ForCaseAsync(session, caseId, create: seals, now, cancellationToken);
            var change = await decide(session, grant.Aggregate!, fund.Aggregate!, seal, now);
            if (change.Problem is not null)
            {
                return change.Problem;
            }

            var after = GrantChanges.Append(session, grant, fund, change, now);
            await SaveAsync(session, caseId, cancellationToken);
            if (change.FundEvents.Count > 0)
            {
                AvailableAfterLastDecision[fundId] = change.FundEvents.Aggregate(fund.Aggregate!, GrantChanges.FoldFund).Available;
            }

            http.Response.Headers.ETag = $"\"{after.Version}\"";
            return TypedResults.Ok(GrantView.Of(after, seal, rules.Options, now, http.User));
        });

        return refusesWithoutTurn is null || pinned is not null
            ? await StripedLocks.Funds.RunAsync(fundId, turn, cancellationToken)
            : await StripedLocks.Funds.RunAsync(fundId, turn, RefusedWithoutTurn, cancellationToken);
    }

    /// <summary>
    /// Per fund, what was available after the last decision that moved its money in this process: a hint
    /// that tells a waiting approval when to read the fund again (never what decides; a top-up or another
    /// replica makes it stale, and the turn then decides on the stored figures).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, decimal> AvailableAfterLastDecision = new();

    /// <summary>
    /// Commits. A case key made at the same time by another request of the case (another replica, or a
    /// decision and a request at once) is a conflict like a concurrent append: decided again, the key is there.
    /// </summary>
    private static async Task SaveAsync(IDocumentSession session, Guid caseId, CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            throw new ConcurrencyException(typeof(CaseKey), caseId);
        }
    }

    /// <summary>The keys of a page of grants' cases in one query; a case whose personal data was erased has none.</summary>
    private static async Task<IReadOnlyDictionary<Guid, CaseSeal>> SealsOf(
        IQuerySession session, PersonalDataVault vault, IEnumerable<Guid> caseIds, CancellationToken cancellationToken)
    {
        var stored = await session.LoadManyAsync<CaseKey>(cancellationToken, caseIds.Distinct());
        return stored.ToDictionary(k => k.Id, k => new CaseSeal(vault, k.Id, vault.Unwrap(k)));
    }

    private static bool IsCaseworker(ClaimsPrincipal user, CaseRecord @case) =>
        CaseworkerRule.IsCaseworker(user, @case.ResponsibleOfficer);

    /// <summary>Officers act on the grants they requested or that belong to their cases; supervisors on all.</summary>
    private static async Task<bool> MayAct(ClaimsPrincipal user, Grant grant, IQuerySession session, CancellationToken cancellationToken) =>
        user.IsInRole(Roles.Supervisor)
        || (user.IsInRole(Roles.Officer) && (grant.RequestedBy == user.UserId()
            || CaseworkerRule.IsCaseworker(
                user, (await session.LoadAsync<CaseRecord>(grant.CaseId, cancellationToken))?.ResponsibleOfficer)));

    private static async Task<bool> MayRead(ClaimsPrincipal user, Grant grant, IQuerySession session, CancellationToken cancellationToken) =>
        user.IsInRole(Roles.Funder) || await MayAct(user, grant, session, cancellationToken);
}
