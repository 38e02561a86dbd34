using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Deciding;

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

    /// <summary>
    /// For an approval: the amount approved, the requested amount when absent (partial approval is allowed).
    /// </summary>
    [Range(typeof(decimal), "0.01", "1000000000", ErrorMessage = "A positive amount.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }

    /// <summary>Required for a rejection. Stored sealed with the case's key.</summary>
    [StringLength(2000)]
    public string? Reason { get; init; }
}

public static class DecideGrant
{
    /// <summary>
    /// A funder's approval, for the requested amount or less. The grant is approved for the lowest
    /// amount approved once it has enough approvals (two different funders above the threshold);
    /// that approval reserves the money and is refused if the fund does not have it available.
    /// </summary>
    public static Outcome<GrantChange> Approve(
        AssistanceOptions options, Grant grant, Fund fund, string funder, decimal? amount, DateTimeOffset now)
    {
        const string title = "The grant cannot be approved.";
        if (Undecidable(grant, funder) is { } refused)
        {
            return refused;
        }

        if (grant.Approvals.Any(a => a.Funder == funder))
        {
            return Refusal.Conflict(
                "You have already approved this grant; a second approval must come from another funder.");
        }

        var approved = amount ?? grant.RequestedAmount;
        if (approved <= 0 || approved > grant.RequestedAmount)
        {
            return Refusal.Invalid(
                "amount", $"More than 0 and at most the {grant.RequestedAmount:N2} {grant.Currency} requested.", title);
        }

        if (Money.HasMoreThanCents(approved))
        {
            return Refusal.Invalid("amount", "Amounts are in whole cents.", title);
        }

        var final = grant.Approvals.Select(a => a.Amount).Append(approved).Min();
        var approvalsNeeded = final > options.TwoApprovalsAbove ? 2 : 1;
        if (grant.Approvals.Count + 1 < approvalsNeeded)
        {
            return GrantChange.Of(new ApprovalGiven(grant.Id, funder, approved, now));
        }

        if (fund.Available < final)
        {
            return Refusal.Invalid(
                "amount",
                $"The fund has {fund.Available:N2} {fund.Currency} available; approve less or top the fund up.",
                title);
        }

        var approvers = grant.Approvals.Select(a => a.Funder).Append(funder).ToArray();
        return GrantChange.Of(
            new GrantAwarded(grant.Id, funder, approved, final, approvers, now),
            new FundsReserved(fund.Id, grant.Id, final, now));
    }

    /// <summary>
    /// A funder's refusal, with a reason (sealed by <paramref name="seal"/> once it is known to be there).
    /// </summary>
    public static Outcome<GrantChange> Reject(
        Grant grant, string funder, string? reason, Func<string, SealedData> seal, DateTimeOffset now)
    {
        if (Undecidable(grant, funder) is { } refused)
        {
            return refused;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refusal.Invalid(
                "reason",
                "A rejection needs a reason; the officer and the auditors read it.",
                "The grant cannot be rejected.");
        }

        return GrantChange.Of(new GrantDeclined(grant.Id, funder, seal(reason.Trim()), now));
    }

    /// <summary>
    /// <c>POST /api/grants/{id}/decisions</c>: approve (optionally a lower amount) or reject with a reason, by a
    /// funder of the organisation of the grant's fund (to any other the grant does not exist). A grant on another
    /// organisation's fund is decided only while the defender's consent to share with funders holds (else 422
    /// <c>consent.shareWithFunders</c>). An approval the committed figures already refuse is answered without
    /// waiting for the fund's turn.
    /// </summary>
    public static async Task<Results<Ok<GrantView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id, DecisionInput input, HttpContext http, GrantPath path, CancellationToken cancellationToken)
    {
        var funder = http.User.UserId();
        GrantDecision approve = (grant, fund, @case, _, now) =>
            WithoutConsent(grant, fund, @case, funder, "The grant cannot be approved.") is { } refused
                ? refused
                : Approve(path.Options, grant, fund, funder, input.Amount, now);
        GrantDecision reject = (grant, fund, @case, seal, now) =>
            WithoutConsent(grant, fund, @case, funder, "The grant cannot be rejected.") is { } refused
                ? refused
                : Reject(grant, funder, input.Reason, seal!.Seal, now);
        var approving = input.Decision == DecisionKind.Approve;
        return Answers.Ok(http, await path.RunAsync(
            id,
            http.User,
            Problems.IfMatchVersion(http.Request),
            seals: !approving,
            (session, grant) => GrantAccess.RefusesFunderAsync(session, http.User, grant, cancellationToken),
            approving ? approve : reject,
            cancellationToken,
            refusesWithoutTurn: approving ? approve : null));
    }

    /// <summary>
    /// A decision on a grant drawn on another organisation's fund needs the consent in force: refused (422) once
    /// it was withdrawn. Checked after who decides and the grant's state: the requester still answers 403 and a
    /// decided grant 409.
    /// </summary>
    public static Refusal? WithoutConsent(Grant grant, Fund fund, CaseRecord? @case, string funder, string title) =>
        Undecidable(grant, funder) is null
            ? GrantAccess.RefusesWithoutConsent(@case, grant.FundOrganisation ?? fund.Organisation, title)
            : null;

    /// <summary>Nobody decides on their own request, and a grant is decided once.</summary>
    private static Refusal? Undecidable(Grant grant, string funder) =>
        GrantAccess.RefusesDecider(grant, funder)
        ?? (grant.Status == GrantStatus.Pending
            ? null
            : Refusal.Conflict($"The grant is already {grant.Status.InWords()}."));
}
