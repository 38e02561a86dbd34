using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Assistance;
using Protection.Contracts.Triage;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.ServiceDefaults;
using Protection.EventSourcing;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Requesting;

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

    /// <summary>
    /// What the money is for. Funders read it: no names, contacts or places. Stored sealed with the case's key.
    /// </summary>
    [Required, StringLength(2000, MinimumLength = 10)]
    public string? Purpose { get; init; }

    /// <summary>How many people the grant covers (the defender and family members).</summary>
    [Required, Range(1, 100)]
    public int? PeopleCovered { get; init; }
}

public static class RequestGrant
{
    private const string Title = "The grant cannot be requested.";

    /// <summary>
    /// A request on an open case, from an existing fund in its currency, up to the cap, in whole cents;
    /// the decision is due sooner for a critical case. A fund of another organisation than the case's needs the
    /// defender's consent to share with funders (<c>consent.shareWithFunders</c>). The purpose arrives sealed.
    /// </summary>
    public static Outcome<GrantRequestFiled> Decide(
        AssistanceOptions options,
        CaseRecord @case,
        Fund? fund,
        decimal amount,
        string currency,
        GrantCategory category,
        SealedData purpose,
        int peopleCovered,
        string by,
        DateTimeOffset now)
    {
        if (@case.Closed)
        {
            return Refusal.Conflict("The case is closed; re-open it before requesting a grant.");
        }

        if (fund is null)
        {
            return Refusal.Invalid("fundId", "No fund has this id.", Title);
        }

        if (GrantAccess.RefusesWithoutConsent(@case, fund.Organisation, Title) is { } withoutConsent)
        {
            return withoutConsent;
        }

        if (currency != fund.Currency)
        {
            return Refusal.Invalid(
                "currency", $"The fund is in {fund.Currency}; request the amount in {fund.Currency}.", Title);
        }

        if (amount <= 0 || amount > options.GrantCap)
        {
            return Refusal.Invalid(
                "amount", $"A grant is more than 0 and at most {options.GrantCap:N0} {fund.Currency}.", Title);
        }

        if (Money.HasMoreThanCents(amount))
        {
            return Refusal.Invalid("amount", "Amounts are in whole cents.", Title);
        }

        var due = now + (@case.Risk == RiskLevel.Critical
            ? options.CriticalDecisionDeadline
            : options.DecisionDeadline);
        return new GrantRequestFiled(
            Guid.CreateVersion7(), @case.Id, @case.Reference, @case.Country, @case.ThreatTypes, @case.Risk, fund.Id,
            fund.Currency, amount, category, purpose, peopleCovered, by, now, due, fund.Organisation);
    }

    /// <summary>
    /// <c>POST /api/cases/{id}/grants</c>. The purpose is sealed with the case's key, made with the
    /// case's first grant (after an erasure, a new one: what was sealed before still reads "[erased]").
    /// Requests of one case take turns, so two first grants do not both make a key; across replicas the
    /// key one of them made first sends the other round again.
    /// </summary>
    public static async Task<Results<Created<GrantView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        GrantRequestInput input,
        HttpContext http,
        IDocumentStore store,
        CaseKeys keys,
        IOptions<AssistanceOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        async Task<Outcome<GrantView>> Attempt(IDocumentSession session)
        {
            var @case = await session.LoadAsync<CaseRecord>(id, cancellationToken);
            if (@case is null || !@case.IsKnown)
            {
                return Refusal.NotFound("The case");
            }

            if (GrantAccess.RefusesCaseworker(http.User, @case) is { } forbidden)
            {
                return forbidden;
            }

            var now = clock.GetUtcNow();
            var fund = await session.LoadAsync<Fund>(input.FundId!.Value, cancellationToken);
            var seal = await keys.ForCaseAsync(session, id, create: true, now, cancellationToken);
            var decided = Decide(
                options.Value, @case, fund, input.Amount!.Value, input.Currency!, input.Category!.Value,
                seal!.Seal(input.Purpose!), input.PeopleCovered!.Value, http.User.UserId(), now);
            if (decided.Refusal is { } refused)
            {
                return refused;
            }

            var filed = decided.Value!;
            var grant = StreamChanges.Start(session, filed.GrantId, filed, [], now);
            grant.Version = 1;
            return GrantView.Of(grant, seal, options.Value, now, GrantSight.Full);
        }

        var outcome = await StripedLocks.Cases.RunAsync(
            id, () => CommandPath.InSessionAsync(store, Attempt, cancellationToken), cancellationToken);
        return Answers.Created(http, outcome, view => $"/api/grants/{view.Id}");
    }
}
