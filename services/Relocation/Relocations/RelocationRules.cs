using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Relocation;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Time;

namespace Protection.Relocations.Relocations;

/// <summary>The relocation rules of the brief, all configurable (<c>Relocation:*</c>).</summary>
public sealed class RelocationOptions
{
    public const string Section = "Relocation";

    public TimeSpan DefaultCheckInInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after a check-in's due time it counts as missed.</summary>
    public TimeSpan CheckInGrace { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The stay a plan may set; longer only by extension.</summary>
    public int InitialStayMonths { get; set; } = 3;

    /// <summary>The longest stay, extensions included, counted from the start date.</summary>
    public int MaxStayMonths { get; set; } = 12;

    /// <summary>How long before the end of the stay it is flagged, so the return can be planned.</summary>
    public TimeSpan StayEndingNotice { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The longest wait a .NET timer takes.</summary>
    public static readonly TimeSpan LongestWatchInterval = TimeSpan.FromDays(49);

    /// <summary>
    /// How often missed check-ins and approaching end dates are looked for. Tests that drive the
    /// watch themselves set <see cref="Timeout.InfiniteTimeSpan"/> (<c>-00:00:00.001</c>): one pass at start only.
    /// </summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Events to append to a relocation's stream, or the problem that refuses the command.</summary>
public sealed record RelocationChange(IReadOnlyList<object> Events, ProblemHttpResult? Problem = null)
{
    public static implicit operator RelocationChange(ProblemHttpResult problem) => new([], problem);

    public static RelocationChange Of(params object[] events) => new(events);
}

/// <summary>A plan as submitted; every part is checked by <see cref="RelocationRules.Plan"/> so that all missing parts are named at once.</summary>
public sealed record PlanProposal(
    string? DestinationCountry,
    string? DestinationCity,
    string? HostOrganisation,
    DateOnly? StartOn,
    DateOnly? EndOn,
    string? SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy);

/// <summary>What the relocation rules decide. No I/O: sealing is handed in, so every rule is unit-testable.</summary>
public sealed class RelocationRules(IOptions<RelocationOptions> options)
{
    public RelocationOptions Options { get; } = options.Value;

    public RelocationChange Request(
        CaseRecord @case, Guid relocationId, RelocationKind kind, RelocationReason reason, int familyMembers, int children,
        int? checkInEveryDays, string by, DateTimeOffset now)
    {
        if (@case.Closed)
        {
            return Problems.Conflict("The case is closed; re-open it before requesting a relocation.");
        }

        if (@case.ActiveRelocationId is { } active)
        {
            return Problems.Conflict(
                "The case already has a relocation in progress; close it before requesting another.",
                new Dictionary<string, object?> { ["relocationId"] = active });
        }

        if (children > familyMembers)
        {
            return Refused("people.children", "Children are counted among the family members.", "The relocation cannot be requested.");
        }

        var interval = checkInEveryDays is { } days ? TimeSpan.FromDays(days) : Options.DefaultCheckInInterval;
        var events = new List<object>
        {
            new RelocationRequested(relocationId, @case.Id, @case.Reference, @case.Country, kind, reason, familyMembers, children, interval,
                @case.Recommendation is not null, by, now),
        };
        events.AddRange(@case.UnassignedFunding.Select(f => new FundingReceived(relocationId, f.GrantId, f.Tranche, f.Amount, f.Currency, f.At)));
        return new RelocationChange(events);
    }

    /// <summary>
    /// Plans (or re-plans before departure). Every missing or wrong part is named; international moves
    /// also need a visa plan and a return strategy. Funding paid before the plan makes it funded at once.
    /// </summary>
    public RelocationChange Plan(Relocation relocation, PlanProposal plan, Func<PlanDetails, SealedData> seal, string by, DateTimeOffset now)
    {
        if (RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Plan) is { } refused)
        {
            return refused;
        }

        var errors = new Dictionary<string, string[]>();
        void Need(string field, string? value, int minimum, string what)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < minimum)
            {
                errors[field] = [what];
            }
        }

        Need("destination.country", plan.DestinationCountry, 2, "The destination country (ISO 3166 code, e.g. KE).");
        if (plan.DestinationCountry is { Length: > 0 } country && !IsCountryCode(country))
        {
            errors["destination.country"] = ["Use the two-letter ISO 3166 code, e.g. KE."];
        }
        else if (plan.DestinationCountry is { Length: > 0 } destination)
        {
            if (relocation.Kind == RelocationKind.InCountrySafeHouse && destination != relocation.Country)
            {
                errors["destination.country"] = [$"An in-country safe house is in the case's country, {relocation.Country}."];
            }
            else if (relocation.Kind != RelocationKind.InCountrySafeHouse && destination == relocation.Country)
            {
                errors["destination.country"] = [$"A {relocation.Kind.ToString().ToLowerInvariant()} relocation leaves {relocation.Country}; request an in-country safe house otherwise."];
            }
        }

        Need("destination.city", plan.DestinationCity, 2, "The destination city.");
        Need("hostOrganisation", plan.HostOrganisation, 2, "The organisation hosting the defender.");
        Need("securityPlan", plan.SecurityPlan, 10, "The security plan (at least 10 characters): travel, communications, what to do if something goes wrong.");
        if (relocation.Kind == RelocationKind.International)
        {
            Need("visaPlan", plan.VisaPlan, 10, "An international move needs a visa plan (at least 10 characters).");
            Need("returnStrategy", plan.ReturnStrategy, 10, "An international move needs a return strategy (at least 10 characters).");
        }

        if (plan.StartOn is null)
        {
            errors["startOn"] = ["The date the stay starts."];
        }

        var endOn = plan.EndOn;
        var earliestStart = DateBounds.EarliestToday(now).AddDays(-DateBounds.StayStartPastDays);
        var latestStart = DateBounds.LatestToday(now).AddYears(DateBounds.StayStartHorizonYears);
        if (plan.StartOn < earliestStart || plan.StartOn > latestStart)
        {
            errors["startOn"] = [$"A stay starts between {earliestStart:yyyy-MM-dd} and {latestStart:yyyy-MM-dd}."];
        }
        else if (plan.StartOn is { } start)
        {
            var longest = start.AddMonths(Options.InitialStayMonths);
            endOn ??= longest;
            if (endOn <= start)
            {
                errors["endOn"] = ["The stay ends after it starts."];
            }
            else if (endOn > longest)
            {
                errors["endOn"] = [$"A stay is planned for at most {Options.InitialStayMonths} months (until {longest:yyyy-MM-dd}); extend it once the defender is there."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Unprocessable(errors, "The relocation plan is incomplete.");
        }

        var details = new PlanDetails(plan.DestinationCountry!, plan.DestinationCity!.Trim(), plan.HostOrganisation!.Trim(), plan.SecurityPlan!.Trim(),
            plan.VisaPlan?.Trim(), plan.ReturnStrategy?.Trim());
        var events = new List<object> { new RelocationPlanned(relocation.Id, plan.StartOn!.Value, endOn!.Value, seal(details), by, now) };
        if (relocation.State == RelocationState.Requested && relocation.Funding.Count > 0)
        {
            events.Add(new RelocationFunded(relocation.Id, relocation.Funding[0].GrantId, now));
        }

        return new RelocationChange(events);
    }

    /// <summary>
    /// An urgent-relocation grant for the case was paid. Recorded whatever the state (a tranche once);
    /// a planned relocation becomes funded. Before the plan, the money waits for it.
    /// </summary>
    public static IReadOnlyList<object> Fund(Relocation relocation, Funding funding)
    {
        if (relocation.State == RelocationState.Closed || relocation.Funding.Any(f => f.GrantId == funding.GrantId && f.Tranche == funding.Tranche))
        {
            return [];
        }

        var events = new List<object> { new FundingReceived(relocation.Id, funding.GrantId, funding.Tranche, funding.Amount, funding.Currency, funding.At) };
        if (RelocationStateMachine.Next(relocation.State, RelocationCommand.Fund) is not null)
        {
            events.Add(new RelocationFunded(relocation.Id, funding.GrantId, funding.At));
        }

        return events;
    }

    public RelocationChange Depart(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Depart)
        ?? RelocationChange.Of(new RelocationDeparted(relocation.Id, by, now, now + relocation.CheckInEvery));

    public static RelocationChange Arrive(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Arrive)
        ?? RelocationChange.Of(new RelocationArrived(relocation.Id, by, now));

    /// <summary>A check-in sets the next deadline from now; an emergency is published at once (triage escalates).</summary>
    public static RelocationChange CheckIn(Relocation relocation, CheckInStatus status, SealedData? note, string by, DateTimeOffset now) =>
        RelocationStateMachine.Refusal(relocation.State, RelocationCommand.CheckIn)
        ?? RelocationChange.Of(new CheckInRecorded(relocation.Id, status, note, by, now, now + relocation.CheckInEvery));

    /// <summary>Extends the stay to <paramref name="endOn"/>: later than now planned, at most <see cref="RelocationOptions.MaxStayMonths"/> from the start, with a reason.</summary>
    public RelocationChange Extend(Relocation relocation, DateOnly endOn, string? reason, Func<string, SealedData> seal, string by, DateTimeOffset now)
    {
        if (RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Extend) is { } refused)
        {
            return refused;
        }

        const string title = "The stay cannot be extended.";
        var plan = relocation.Plan!;
        var longest = plan.StartOn.AddMonths(Options.MaxStayMonths);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 3)
        {
            return Refused("reason", "Say why the stay is extended.", title);
        }

        if (endOn <= plan.EndOn)
        {
            return Refused("endOn", $"The stay already runs until {plan.EndOn:yyyy-MM-dd}; give a later date.", title);
        }

        if (endOn > longest)
        {
            return Refused("endOn", $"A stay lasts at most {Options.MaxStayMonths} months in total: until {longest:yyyy-MM-dd}.", title);
        }

        return RelocationChange.Of(new StayExtended(relocation.Id, plan.EndOn, endOn, seal(reason.Trim()), by, now));
    }

    public static RelocationChange Return(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Return)
        ?? RelocationChange.Of(new DefenderReturned(relocation.Id, by, now));

    public static RelocationChange Resettle(Relocation relocation, string by, DateTimeOffset now) =>
        RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Resettle)
        ?? RelocationChange.Of(new DefenderResettled(relocation.Id, by, now));

    /// <summary>Closes after the return or resettlement; closing before the defender moved cancels it, and needs a reason.</summary>
    public static RelocationChange Close(Relocation relocation, string? reason, Func<string, SealedData> seal, string by, DateTimeOffset now)
    {
        if (RelocationStateMachine.Refusal(relocation.State, RelocationCommand.Close) is { } refused)
        {
            return refused;
        }

        var outcome = relocation.State switch
        {
            RelocationState.Returned => RelocationOutcome.Returned,
            RelocationState.Resettled => RelocationOutcome.Resettled,
            _ => RelocationOutcome.Cancelled,
        };
        if (outcome == RelocationOutcome.Cancelled && (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 3))
        {
            return Refused("reason", "Closing a relocation before the defender moved cancels it: say why.", "The relocation cannot be closed.");
        }

        return RelocationChange.Of(new RelocationClosed(relocation.Id, outcome, string.IsNullOrWhiteSpace(reason) ? null : seal(reason.Trim()), by, now));
    }

    /// <summary>Away, the check-in due is past its grace period, and this deadline was not flagged yet.</summary>
    public bool IsCheckInMissed(Relocation relocation, DateTimeOffset now) =>
        relocation.Away && relocation.NextCheckInDueAt is { } due && due + Options.CheckInGrace <= now && relocation.MissedCheckInFlaggedFor != due;

    /// <summary>Away, the stay ends within the notice period, and this end date was not flagged yet.</summary>
    public bool IsStayEnding(Relocation relocation, DateTimeOffset now) =>
        EndsWithinNotice(relocation, now) && relocation.StayEndingFlaggedFor != relocation.Plan!.EndOn;

    /// <summary>Away, and the stay ends within the notice period (flagged or not).</summary>
    public bool EndsWithinNotice(Relocation relocation, DateTimeOffset now) =>
        relocation.Away && relocation.Plan is { } plan && Relocation.EndOf(plan.EndOn) - Options.StayEndingNotice <= now;

    private static bool IsCountryCode(string value) => value.Length == 2 && value.All(char.IsAsciiLetterUpper);

    private static ProblemHttpResult Refused(string field, string message, string title) =>
        Problems.Unprocessable(new Dictionary<string, string[]> { [field] = [message] }, title);
}
