using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Withdrawing;

public sealed record WithdrawalInput
{
    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(2000, MinimumLength = 3)]
    public string? Reason { get; init; }
}

public static class WithdrawGrant
{
    /// <summary>Withdrawal before any payment; a reservation goes back to the fund.</summary>
    public static Outcome<GrantChange> Decide(Grant grant, SealedData reason, string by, DateTimeOffset now)
    {
        if (grant.Status is not (GrantStatus.Pending or GrantStatus.Approved))
        {
            return Refusal.Conflict(
                $"The grant is {grant.Status.InWords()}; only a pending or approved, unpaid grant can be withdrawn.");
        }

        var released = grant.StillReserved;
        return GrantChange.Of(
            new GrantRequestWithdrawn(grant.Id, by, reason, released, now),
            released > 0 ? new ReservationReleased(grant.FundId, grant.Id, released, now) : null);
    }

    /// <summary>
    /// <c>POST /api/grants/{id}/withdrawal</c>: the officer withdraws a pending or approved, unpaid request;
    /// its reservation goes back to the fund.
    /// </summary>
    public static async Task<Results<Ok<GrantView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id, WithdrawalInput input, HttpContext http, GrantPath path, CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await path.RunAsync(
            id,
            http.User,
            Problems.IfMatchVersion(http.Request),
            seals: true,
            (session, grant) => GrantAccess.RefusesActorAsync(session, http.User, grant, cancellationToken),
            (grant, _, _, seal, now) => Decide(grant, seal!.Seal(input.Reason!), http.User.UserId(), now),
            cancellationToken));
}
