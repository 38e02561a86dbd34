using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Relocation;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults;
using Protection.EventSourcing;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.Relocations.Relocations;

public sealed record PeopleInput
{
    /// <summary>Family members moving with the defender (counts only: names stay in intake).</summary>
    [Range(0, 30)]
    public int FamilyMembers { get; init; }

    /// <summary>How many of the family members are children.</summary>
    [Range(0, 30)]
    public int Children { get; init; }
}

public sealed record RelocationRequestInput
{
    [Required]
    public RelocationKind? Kind { get; init; }

    [Required]
    public RelocationReason? Reason { get; init; }

    public PeopleInput People { get; init; } = new();

    /// <summary>How often the defender checks in while away; the configured default (7 days) when absent.</summary>
    [Range(1, 30)]
    public int? CheckInEveryDays { get; init; }
}

public sealed record DestinationInput
{
    public string? Country { get; init; }

    [StringLength(200)]
    public string? City { get; init; }
}

/// <summary>Nothing is required here: the rules name every missing part at once (422).</summary>
public sealed record PlanInput
{
    public DestinationInput? Destination { get; init; }

    [StringLength(300)]
    public string? HostOrganisation { get; init; }

    public DateOnly? StartOn { get; init; }

    /// <summary>The configured initial stay (3 months) from the start when absent.</summary>
    public DateOnly? EndOn { get; init; }

    [StringLength(8000)]
    public string? SecurityPlan { get; init; }

    [StringLength(8000)]
    public string? VisaPlan { get; init; }

    [StringLength(8000)]
    public string? ReturnStrategy { get; init; }
}

public sealed record CheckInInput
{
    [Required]
    public CheckInStatus? Status { get; init; }

    [StringLength(4000)]
    public string? Note { get; init; }
}

public sealed record ExtensionInput
{
    [Required]
    public DateOnly? EndOn { get; init; }

    [StringLength(2000)]
    public string? Reason { get; init; }
}

public sealed record ClosingInput
{
    [StringLength(2000)]
    public string? Reason { get; init; }
}

public sealed record DestinationView(string Country, string City);

public sealed record PlanView(
    DateOnly StartOn,
    DateOnly EndOn,
    DestinationView? Destination,
    string HostOrganisation,
    string SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy,
    string PlannedBy,
    DateTimeOffset PlannedAt);

public sealed record PeopleView(int Total, int FamilyMembers, int Children);

public sealed record CheckInView(CheckInStatus Status, string? Note, string By, DateTimeOffset At);

public sealed record ExtensionView(DateOnly From, DateOnly To, string Reason, string By, DateTimeOffset At);

/// <summary>A relocation as its officer sees it. Sealed parts read "[erased]" once the case's personal data is erased.</summary>
public sealed record RelocationView(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    RelocationState State,
    RelocationKind Kind,
    RelocationReason Reason,
    PeopleView People,
    bool WasRecommended,
    bool HostMayReceiveCaseDetails,
    int CheckInEveryDays,
    PlanView? Plan,
    IReadOnlyList<Funding> Funding,
    Guid? FundedBy,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DepartedAt,
    DateTimeOffset? ArrivedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? NextCheckInDueAt,
    bool CheckInOverdue,
    bool CheckInMissed,
    IReadOnlyList<CheckInView> CheckIns,
    IReadOnlyList<ExtensionView> Extensions,
    bool StayEndingSoon,
    RelocationOutcome? Outcome,
    string? ClosingReason,
    IReadOnlyList<Transition> Transitions,
    IReadOnlyList<string> AllowedSteps,
    long Version)
{
    public static RelocationView Of(Relocation r, CaseRecord? @case, CaseSeal? seal, RelocationRules rules, DateTimeOffset now)
    {
        string Text(SealedData? sealedData) => sealedData is null ? string.Empty : seal?.Open<string>(sealedData) ?? CaseKeys.Erased;
        PlanView? plan = null;
        if (r.Plan is { } p)
        {
            var details = seal?.Open<PlanDetails>(p.Details);
            plan = details is null
                ? new PlanView(p.StartOn, p.EndOn, null, CaseKeys.Erased, CaseKeys.Erased, null, null, p.By, p.At)
                : new PlanView(p.StartOn, p.EndOn, new DestinationView(details.DestinationCountry, details.DestinationCity), details.HostOrganisation,
                    details.SecurityPlan, details.VisaPlan, details.ReturnStrategy, p.By, p.At);
        }

        return new RelocationView(
            r.Id, r.CaseId, r.CaseReference, r.State, r.Kind, r.Reason, new PeopleView(r.People, r.FamilyMembers, r.Children), r.WasRecommended,
            @case?.Consent?.ShareWithRelocationHost ?? false,
            (int)r.CheckInEvery.TotalDays,
            plan, r.Funding, r.FundedBy, r.RequestedBy, r.RequestedAt, r.DepartedAt, r.ArrivedAt, r.EndedAt, r.ClosedAt,
            r.NextCheckInDueAt,
            r.Away && r.NextCheckInDueAt <= now,
            r.MissedCheckInFlaggedFor is not null,
            r.CheckIns.Select(c => new CheckInView(c.Status, c.Note is null ? null : Text(c.Note), c.By, c.At)).ToArray(),
            r.Extensions.Select(x => new ExtensionView(x.From, x.To, Text(x.Reason), x.By, x.At)).ToArray(),
            rules.EndsWithinNotice(r, now),
            r.Outcome,
            r.ClosingReason is null ? null : Text(r.ClosingReason),
            r.Transitions,
            RelocationStateMachine.AllowedSteps(r.State),
            r.Version);
    }
}

/// <summary>The relocations of one case, triage's recommendation if the case became critical, and relocation money paid before any relocation was requested.</summary>
public sealed record CaseRelocations(Recommendation? Recommendation, IReadOnlyList<Funding> WaitingFunding, IReadOnlyList<RelocationView> Items);

public static class RelocationsApi
{
    public static IEndpointRouteBuilder MapRelocationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cases/{id:guid}/relocations", Request).WithBodyLimit(BodyLimits.Small).RequireAuthorization(Policies.Officer).WithTags("Relocations")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("RequestRelocation").WithSummary("Request a relocation for the case (one in progress at a time).");
        app.MapGet("/api/cases/{id:guid}/relocations", ForCase).RequireAuthorization(Policies.Officer).RecordsCaseRead(CaseReads.Relocations).WithTags("Relocations")
            .WithName("CaseRelocations").WithSummary("The case's relocations and triage's recommendation, if any.");

        var relocations = app.MapGroup("/api/relocations/{id:guid}").WithTags("Relocations").RequireAuthorization(Policies.Officer);
        relocations.MapGet("/", Get).RecordsCaseRead(CaseReads.Relocation, routeIdIsCase: false).WithName("GetRelocation").WithSummary("State, people, dates, next check-in due, history of transitions.");
        relocations.MapPost("/plan", Plan).WithBodyLimit(BodyLimits.LongText)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("PlanRelocation").WithSummary("Destination, host, dates, security plan (international: visa plan and return strategy).");
        relocations.MapPost("/depart", Depart).WithBodyLimit(BodyLimits.Small)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("DepartRelocation").WithSummary("The defender left; check-ins are due from now.");
        relocations.MapPost("/arrive", Arrive).WithBodyLimit(BodyLimits.Small)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("ArriveRelocation");
        relocations.MapPost("/check-ins", CheckIn).WithBodyLimit(BodyLimits.Text)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("CheckIn").WithSummary("Safe, concern or emergency; an emergency escalates the case in triage at once.");
        relocations.MapPost("/extend", Extend).WithBodyLimit(BodyLimits.Text)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("ExtendStay").WithSummary("A later end date (at most 12 months in all), with a reason.");
        relocations.MapPost("/return", Return).WithBodyLimit(BodyLimits.Small)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("ReturnFromRelocation");
        relocations.MapPost("/resettle", Resettle).WithBodyLimit(BodyLimits.Small)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("Resettle").WithSummary("The defender stays at the destination for good.");
        relocations.MapPost("/close", Close).WithBodyLimit(BodyLimits.Text)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithName("CloseRelocation").WithSummary("After the return or resettlement; before the move it cancels (reason required).");
        return app;
    }

    public static async Task<Results<Created<RelocationView>, ProblemHttpResult>> Request(
        Guid id, RelocationRequestInput input, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // The case record holds "the relocation in progress": writers of it take turns (and its version refuses another replica).
        return await StripedLocks.Cases.RunAsync(id, () => OptimisticRetry.RunAsync(store, callerPinnedVersion: false, async session =>
        {
            var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
            if (@case is null || !@case.IsKnown)
            {
                return (Results<Created<RelocationView>, ProblemHttpResult>)Problems.NotFound("The case");
            }

            if (!MayAct(http.User, @case))
            {
                return Problems.Forbidden("This case is not assigned to you.");
            }

            var now = clock.GetUtcNow();
            var relocationId = Guid.CreateVersion7();
            var change = rules.Request(@case, relocationId, input.Kind!.Value, input.Reason!.Value, (input.People ?? new()).FamilyMembers, (input.People ?? new()).Children,
                input.CheckInEveryDays, http.User.UserId(), now);
            if (change.Problem is not null)
            {
                return change.Problem;
            }

            var seal = await keys.ForCaseAsync(session, id, create: true, now, cancellationToken);
            var relocation = RelocationChanges.Start(session, change.Events, now);
            @case.ActiveRelocationId = relocationId;
            @case.UnassignedFunding.Clear();
            session.Store(@case);
            await session.SaveChangesAsync(cancellationToken);
            http.Response.Headers.ETag = $"\"{relocation.Version}\"";
            return TypedResults.Created($"/api/relocations/{relocationId}", RelocationView.Of(relocation, @case, seal, rules, now));
        }), cancellationToken);
    }

    public static async Task<Results<Ok<CaseRelocations>, ProblemHttpResult>> ForCase(
        Guid id, HttpContext http, IQuerySession session, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
        if (@case is null || !@case.IsKnown)
        {
            return Problems.NotFound("The case");
        }

        if (!MayAct(http.User, @case))
        {
            return Problems.Forbidden("This case is not assigned to you.");
        }

        var seal = await keys.ForReadingAsync(session, id, cancellationToken);
        var now = clock.GetUtcNow();
        var relocations = await session.Query<Relocation>().Where(r => r.CaseId == id).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(new CaseRelocations(@case.Recommendation, @case.UnassignedFunding, relocations.Select(r => RelocationView.Of(r, @case, seal, rules, now)).ToArray()));
    }

    public static async Task<Results<Ok<RelocationView>, ProblemHttpResult>> Get(
        Guid id, HttpContext http, IQuerySession session, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var relocation = await session.LoadAsync<Relocation>(id, cancellationToken);
        if (relocation is null)
        {
            return Problems.NotFound("The relocation");
        }

        http.ReadsCase(relocation.CaseId);
        var @case = await session.LoadAsync<CaseRecord>(relocation.CaseId, cancellationToken);
        if (!MayAct(http.User, @case))
        {
            return Problems.Forbidden("This relocation is not one of your cases'.");
        }

        var seal = await keys.ForReadingAsync(session, relocation.CaseId, cancellationToken);
        http.Response.Headers.ETag = $"\"{relocation.Version}\"";
        return TypedResults.Ok(RelocationView.Of(relocation, @case, seal, rules, clock.GetUtcNow()));
    }

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Plan(
        Guid id, PlanInput input, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, seal, now) => rules.Plan(
            r,
            new PlanProposal(input.Destination?.Country, input.Destination?.City, input.HostOrganisation, input.StartOn, input.EndOn, input.SecurityPlan, input.VisaPlan, input.ReturnStrategy),
            seal.Seal,
            http.User.UserId(),
            now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Depart(
        Guid id, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, _, now) => rules.Depart(r, http.User.UserId(), now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Arrive(
        Guid id, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, _, now) => RelocationRules.Arrive(r, http.User.UserId(), now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> CheckIn(
        Guid id, CheckInInput input, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, seal, now) => RelocationRules.CheckIn(
            r, input.Status!.Value, string.IsNullOrWhiteSpace(input.Note) ? null : seal.Seal(input.Note.Trim()), http.User.UserId(), now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Extend(
        Guid id, ExtensionInput input, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, seal, now) => rules.Extend(r, input.EndOn!.Value, input.Reason, seal.Seal, http.User.UserId(), now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Return(
        Guid id, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, _, now) => RelocationRules.Return(r, http.User.UserId(), now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Resettle(
        Guid id, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, _, now) => RelocationRules.Resettle(r, http.User.UserId(), now), cancellationToken);

    public static Task<Results<Ok<RelocationView>, ProblemHttpResult>> Close(
        Guid id, ClosingInput input, HttpContext http, IDocumentStore store, RelocationRules rules, CaseKeys keys, TimeProvider clock, CancellationToken cancellationToken) =>
        Execute(id, http, store, rules, keys, clock, (r, seal, now) => RelocationRules.Close(r, input.Reason, seal.Seal, http.User.UserId(), now), cancellationToken);

    /// <summary>
    /// Load, decide, append at the version read, commit. Without <c>If-Match</c> a collision with a
    /// consumer (funding) is decided again on the new state; with it, it is the caller's 409.
    /// Closing also frees the case for another relocation, in the same transaction.
    /// </summary>
    private static async Task<Results<Ok<RelocationView>, ProblemHttpResult>> Execute(
        Guid id,
        HttpContext http,
        IDocumentStore store,
        RelocationRules rules,
        CaseKeys keys,
        TimeProvider clock,
        Func<Relocation, CaseSeal, DateTimeOffset, RelocationChange> decide,
        CancellationToken cancellationToken)
    {
        Guid caseId;
        await using (var query = store.QuerySession())
        {
            var known = await query.LoadAsync<Relocation>(id, cancellationToken);
            if (known is null)
            {
                return Problems.NotFound("The relocation");
            }

            caseId = known.CaseId;
        }

        var pinned = Problems.IfMatchVersion(http.Request);
        return await StripedLocks.Cases.RunAsync(caseId, () => OptimisticRetry.RunAsync(store, pinned is not null, async session =>
        {
            var stream = await session.Events.FetchForWriting<Relocation>(id, cancellationToken);
            var @case = await session.LoadAsync<CaseRecord>(caseId, cancellationToken);
            if (!MayAct(http.User, @case))
            {
                return (Results<Ok<RelocationView>, ProblemHttpResult>)Problems.Forbidden("This relocation is not one of your cases'.");
            }

            if (pinned is { } expected && expected != stream.CurrentVersion)
            {
                return Problems.StaleVersion(stream.CurrentVersion ?? 0);
            }

            var now = clock.GetUtcNow();
            if (await keys.ForCaseAsync(session, caseId, create: false, now, cancellationToken) is not { } seal)
            {
                return Problems.Conflict("The personal data of this case was erased; its relocation can no longer change.");
            }

            var change = decide(stream.Aggregate!, seal, now);
            if (change.Problem is not null)
            {
                return change.Problem;
            }

            var after = RelocationChanges.Append(session, stream, change.Events, now);
            if (!after.Active && @case!.ActiveRelocationId == id)
            {
                @case.ActiveRelocationId = null;
                session.Store(@case);
            }

            await session.SaveChangesAsync(cancellationToken);
            http.Response.Headers.ETag = $"\"{after.Version}\"";
            return TypedResults.Ok(RelocationView.Of(after, @case, seal, rules, now));
        }), cancellationToken);
    }

    /// <summary>Supervisors act on every case; officers on the cases they are responsible for.</summary>
    private static bool MayAct(ClaimsPrincipal user, CaseRecord? @case) =>
        CaseworkerRule.IsCaseworker(user, @case?.ResponsibleOfficer);
}
