using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Relocation;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Requesting;

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

public static class RequestRelocation
{
    /// <summary>
    /// One relocation in progress per open case. Relocation money paid before the request is taken into
    /// the new relocation's stream, so the plan can make it funded.
    /// </summary>
    public static Outcome<IReadOnlyList<object>> Decide(
        RelocationOptions options,
        CaseRecord @case,
        Guid relocationId,
        RelocationKind kind,
        RelocationReason reason,
        int familyMembers,
        int children,
        int? checkInEveryDays,
        string by,
        DateTimeOffset now)
    {
        if (@case.Closed)
        {
            return Refusal.Conflict("The case is closed; re-open it before requesting a relocation.");
        }

        if (@case.ActiveRelocationId is { } active)
        {
            return Refusal.Conflict(
                "The case already has a relocation in progress; close it before requesting another.",
                new Dictionary<string, object?> { ["relocationId"] = active });
        }

        if (children > familyMembers)
        {
            return Refusal.Invalid(
                "people.children",
                "Children are counted among the family members.",
                "The relocation cannot be requested.");
        }

        var interval = checkInEveryDays is { } days ? TimeSpan.FromDays(days) : options.DefaultCheckInInterval;
        var events = new List<object>
        {
            new RelocationOpened(
                relocationId,
                @case.Id,
                @case.Reference,
                @case.Country,
                kind,
                reason,
                familyMembers,
                children,
                interval,
                @case.Recommendation is not null,
                by,
                now),
        };
        events.AddRange(@case.UnassignedFunding.Select(f =>
            new FundingReceived(relocationId, f.GrantId, f.Tranche, f.Amount, f.Currency, f.At)));
        return events;
    }

    /// <summary>
    /// <c>POST /api/cases/{id}/relocations</c>: starts the relocation's stream and makes it the case's
    /// relocation in progress, in one transaction.
    /// </summary>
    public static async Task<Results<Created<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        RelocationRequestInput input,
        HttpContext http,
        IDocumentStore store,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var rules = options.Value;

        // The case record holds "the relocation in progress": writers of it take turns (and its version
        // refuses another replica).
        var outcome = await StripedLocks.Cases.RunAsync(
            id,
            () => CommandPath.InSessionAsync<RelocationView>(store, StartAsync, cancellationToken),
            cancellationToken);
        return Answers.Created(http, outcome, view => $"/api/relocations/{view.Id}");

        async Task<Outcome<RelocationView>> StartAsync(IDocumentSession session)
        {
            var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
            if (@case is null || !@case.IsKnown)
            {
                return Refusal.NotFound("The case");
            }

            if (RelocationAccess.ToCase(http.User, @case) is { } forbidden)
            {
                return forbidden;
            }

            var now = clock.GetUtcNow();
            var relocationId = Guid.CreateVersion7();
            var people = input.People ?? new();
            var decided = Decide(
                rules,
                @case,
                relocationId,
                input.Kind!.Value,
                input.Reason!.Value,
                people.FamilyMembers,
                people.Children,
                input.CheckInEveryDays,
                http.User.UserId(),
                now);
            if (decided.Refusal is { } refused)
            {
                return refused;
            }

            var seal = await keys.ForCaseAsync(session, id, create: true, now, cancellationToken);
            var events = decided.Value!;
            var opened = (RelocationOpened)events[0];
            var relocation = StreamChanges.Start(session, relocationId, opened, events.Skip(1).ToArray(), now) with
            {
                Version = events.Count,
            };
            @case.ActiveRelocationId = relocationId;
            @case.UnassignedFunding.Clear();
            session.Store(@case);
            return RelocationView.Of(relocation, @case, seal, rules, now);
        }
    }
}
