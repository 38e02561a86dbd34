using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Grants.Disbursing;

public sealed record DisbursementInput
{
    [Required, Range(typeof(decimal), "0.01", "1000000000", ErrorMessage = "A positive amount.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }
}

public static class DisburseGrant
{
    /// <summary>
    /// A tranche: at most what is still reserved; above the tranche threshold never the whole grant at once.
    /// </summary>
    public static Outcome<GrantChange> Decide(
        AssistanceOptions options, Grant grant, decimal amount, string by, DateTimeOffset now)
    {
        const string title = "The tranche cannot be paid.";
        if (grant.Status is not (GrantStatus.Approved or GrantStatus.PartlyDisbursed))
        {
            return Refusal.Conflict($"The grant is {grant.Status.InWords()}; only an approved grant is paid.");
        }

        var remaining = grant.StillReserved;
        if (amount <= 0 || amount > remaining || Money.HasMoreThanCents(amount))
        {
            return Refusal.Invalid(
                "amount", $"At most the {remaining:N2} {grant.Currency} still to pay, in whole cents.", title);
        }

        if (grant.Tranches.Count == 0 && grant.ApprovedAmount > options.TranchesAbove && amount == remaining)
        {
            return Refusal.Invalid(
                "amount",
                $"Grants above {options.TranchesAbove:N0} {grant.Currency} are paid in at least two tranches.",
                title);
        }

        var complete = amount == remaining;
        return GrantChange.Of(
            new TrancheDisbursed(
                grant.Id, grant.Tranches.Count + 1, amount, by, now, complete ? now + options.ReportDueAfter : null),
            new ReservedFundsPaid(grant.FundId, grant.Id, amount, now));
    }

    /// <summary>
    /// <c>POST /api/grants/{id}/disbursements</c>: a funder of the organisation of the grant's fund records a
    /// tranche paid (to any other the grant does not exist). A withdrawn consent does not stop paying what was
    /// approved.
    /// </summary>
    public static async Task<Results<Ok<GrantView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id, DisbursementInput input, HttpContext http, GrantPath path, CancellationToken cancellationToken) =>
        Answers.Ok(http, await path.RunAsync(
            id,
            http.User,
            Problems.IfMatchVersion(http.Request),
            seals: false,
            (session, grant) => GrantAccess.RefusesFunderAsync(session, http.User, grant, cancellationToken),
            (grant, _, _, _, now) => Decide(path.Options, grant, input.Amount!.Value, http.User.UserId(), now),
            cancellationToken));
}
