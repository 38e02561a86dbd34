using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Relocation;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Time;

namespace Protection.Relocations.Relocations.Planning;

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

    /// <summary>
    /// The platform organisation hosting the defender, by its id (optional): its officers and supervisors
    /// read the relocation, in full only with the defender's consent to share with the host.
    /// </summary>
    [StringLength(MaxOrganisationId)]
    public string? HostOrganisationId { get; init; }

    public const int MaxOrganisationId = 100;
}

/// <summary>A plan as submitted; every part is checked so that all missing parts are named at once.</summary>
public sealed record PlanProposal(
    string? DestinationCountry,
    string? DestinationCity,
    string? HostOrganisation,
    DateOnly? StartOn,
    DateOnly? EndOn,
    string? SecurityPlan,
    string? VisaPlan,
    string? ReturnStrategy,
    string? HostOrganisationId = null);

public static class PlanRelocation
{
    /// <summary>
    /// Plans (or re-plans before departure). Every missing or wrong part is named; international moves
    /// also need a visa plan and a return strategy. Funding paid before the plan makes it funded at once.
    /// </summary>
    public static Outcome<IReadOnlyList<object>> Decide(
        RelocationOptions options,
        Relocation relocation,
        PlanProposal plan,
        Func<PlanDetails, SealedData> seal,
        string by,
        DateTimeOffset now)
    {
        if (RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.Plan) is { } refused)
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
        else if (plan.DestinationCountry is { Length: > 0 } destination
            && WrongSide(relocation, destination) is { } wrongSide)
        {
            errors["destination.country"] = [wrongSide];
        }

        Need("destination.city", plan.DestinationCity, 2, "The destination city.");
        Need("hostOrganisation", plan.HostOrganisation, 2, "The organisation hosting the defender.");
        Need(
            "securityPlan",
            plan.SecurityPlan,
            10,
            "The security plan (at least 10 characters): travel, communications, what to do if something goes wrong.");
        if (relocation.Kind == RelocationKind.International)
        {
            Need("visaPlan", plan.VisaPlan, 10, "An international move needs a visa plan (at least 10 characters).");
            Need(
                "returnStrategy",
                plan.ReturnStrategy,
                10,
                "An international move needs a return strategy (at least 10 characters).");
        }

        if (plan.HostOrganisationId is { } host
            && (string.IsNullOrWhiteSpace(host) || host.Trim().Length > PlanInput.MaxOrganisationId))
        {
            errors["hostOrganisationId"] =
            [
                $"A platform organisation's id (at most {PlanInput.MaxOrganisationId} characters), or none.",
            ];
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
            var longest = start.AddMonths(options.InitialStayMonths);
            endOn ??= longest;
            if (endOn <= start)
            {
                errors["endOn"] = ["The stay ends after it starts."];
            }
            else if (endOn > longest)
            {
                errors["endOn"] =
                [
                    $"A stay is planned for at most {options.InitialStayMonths} months (until {longest:yyyy-MM-dd}); "
                    + "extend it once the defender is there.",
                ];
            }
        }

        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors, "The relocation plan is incomplete.");
        }

        var details = new PlanDetails(
            plan.DestinationCountry!,
            plan.DestinationCity!.Trim(),
            plan.HostOrganisation!.Trim(),
            plan.SecurityPlan!.Trim(),
            plan.VisaPlan?.Trim(),
            plan.ReturnStrategy?.Trim());
        var events = new List<object>
        {
            new RelocationPlanned(
                relocation.Id,
                plan.StartOn!.Value,
                endOn!.Value,
                seal(details),
                by,
                now,
                plan.HostOrganisationId?.Trim()),
        };
        if (relocation.State == RelocationState.Requested && relocation.Funding.Count > 0)
        {
            events.Add(new RelocationFunded(relocation.Id, relocation.Funding[0].GrantId, now));
        }

        return events;
    }

    /// <summary>
    /// <c>POST /api/relocations/{id}/plan</c>: destination, host, dates, security plan (international:
    /// visa plan and return strategy), sealed with the case's key.
    /// </summary>
    public static async Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        PlanInput input,
        HttpContext http,
        IDocumentStore store,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var proposal = new PlanProposal(
            input.Destination?.Country,
            input.Destination?.City,
            input.HostOrganisation,
            input.StartOn,
            input.EndOn,
            input.SecurityPlan,
            input.VisaPlan,
            input.ReturnStrategy,
            input.HostOrganisationId);
        return Answers.Ok(http, await RelocationStep.TakeAsync(
            id,
            http,
            store,
            keys,
            options.Value,
            clock,
            (relocation, seal, now) =>
                Decide(options.Value, relocation, proposal, seal.Seal, http.User.UserId(), now),
            cancellationToken));
    }

    /// <summary>An in-country safe house stays in the case's country; the other kinds leave it.</summary>
    private static string? WrongSide(Relocation relocation, string destination) =>
        (relocation.Kind, destination == relocation.Country) switch
        {
            (RelocationKind.InCountrySafeHouse, false) =>
                $"An in-country safe house is in the case's country, {relocation.Country}.",
            (not RelocationKind.InCountrySafeHouse, true) =>
                $"A {relocation.Kind.ToString().ToLowerInvariant()} relocation leaves {relocation.Country}; "
                + "request an in-country safe house otherwise.",
            _ => null,
        };

    private static bool IsCountryCode(string value) => value.Length == 2 && value.All(char.IsAsciiLetterUpper);
}
