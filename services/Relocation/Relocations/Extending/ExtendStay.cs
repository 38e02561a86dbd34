using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Protection.Relocations.Relocations.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Relocations.Relocations.Extending;

public sealed record ExtensionInput
{
    [Required]
    public DateOnly? EndOn { get; init; }

    [StringLength(2000)]
    public string? Reason { get; init; }
}

public static class ExtendStay
{
    /// <summary>
    /// Extends the stay to <paramref name="endOn"/>: later than now planned, at most
    /// <see cref="RelocationOptions.MaxStayMonths"/> from the start, with a reason.
    /// </summary>
    public static Outcome<IReadOnlyList<object>> Decide(
        RelocationOptions options,
        Relocation relocation,
        DateOnly endOn,
        string? reason,
        Func<string, SealedData> seal,
        string by,
        DateTimeOffset now)
    {
        if (RelocationStateMachine.RefusalOf(relocation.State, RelocationCommand.Extend) is { } refused)
        {
            return refused;
        }

        const string title = "The stay cannot be extended.";
        var plan = relocation.Plan!;
        var longest = plan.StartOn.AddMonths(options.MaxStayMonths);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 3)
        {
            return Refusal.Invalid("reason", "Say why the stay is extended.", title);
        }

        if (endOn <= plan.EndOn)
        {
            return Refusal.Invalid(
                "endOn", $"The stay already runs until {plan.EndOn:yyyy-MM-dd}; give a later date.", title);
        }

        if (endOn > longest)
        {
            return Refusal.Invalid(
                "endOn",
                $"A stay lasts at most {options.MaxStayMonths} months in total: until {longest:yyyy-MM-dd}.",
                title);
        }

        return new object[] { new StayProlonged(relocation.Id, plan.EndOn, endOn, seal(reason.Trim()), by, now) };
    }

    /// <summary>
    /// <c>POST /api/relocations/{id}/extend</c>: a later end date (at most 12 months in all), with a reason
    /// sealed with the case's key.
    /// </summary>
    public static async Task<Results<Ok<RelocationView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        ExtensionInput input,
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
            (relocation, seal, now) => Decide(
                options.Value, relocation, input.EndOn!.Value, input.Reason, seal.Seal, http.User.UserId(), now),
            cancellationToken));
}
