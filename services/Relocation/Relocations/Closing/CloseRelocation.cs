using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Contracts.Relocation;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Closing;

public sealed record ClosingInput
{
    [StringLength(2000)]
    public string? Reason { get; init; }
}

public static class CloseRelocation
{
    /// <summary>
    /// Closes after the return or resettlement; closing before the defender moved cancels it, and needs
    /// a reason.
    /// </summary>
    public static Outcome<IReadOnlyList<object>> Decide(
        Relocation relocation, string? reason, Func<string, SealedData> seal, string by, DateTimeOffset now)
    {
        if (RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.Close) is { } refused)
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
            return Refusal.Invalid(
                "reason",
                "Closing a relocation before the defender moved cancels it: say why.",
                "The relocation cannot be closed.");
        }

        var sealedReason = string.IsNullOrWhiteSpace(reason) ? null : seal(reason.Trim());
        return new object[] { new RelocationConcluded(relocation.Id, outcome, sealedReason, by, now) };
    }

    /// <summary>
    /// <c>POST /api/relocations/{id}/close</c>: after the return or resettlement; before the move it
    /// cancels (reason required). The case is then free for another relocation.
    /// </summary>
    public static async Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        ClosingInput input,
        HttpContext http,
        IDocumentStore store,
        IOptions<RelocationOptions> options,
        CaseKeys keys,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.Ok(http, await RelocationStep.TakeAsync(
            id,
            http,
            store,
            keys,
            options.Value,
            clock,
            (relocation, seal, now) => Decide(relocation, input.Reason, seal.Seal, http.User.UserId(), now),
            cancellationToken));
}
