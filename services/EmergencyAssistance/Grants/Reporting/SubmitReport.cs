using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.EmergencyAssistance.Grants.Reporting;

public sealed record ReportInput
{
    [Required, Range(typeof(decimal), "0", "1000000000", ErrorMessage = "Zero or more.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Spent { get; init; }

    /// <summary>Stored sealed with the case's key.</summary>
    [Required, StringLength(8000, MinimumLength = 10)]
    public string? Summary { get; init; }
}

public static class SubmitReport
{
    /// <summary>The accountability report, once the grant is fully paid, of at most what was paid.</summary>
    public static Outcome<GrantChange> Decide(
        Grant grant, decimal spent, SealedData summary, string by, DateTimeOffset now)
    {
        if (grant.Status != GrantStatus.Disbursed)
        {
            return Refusal.Conflict(
                $"The grant is {grant.Status.InWords()}; the report is due once it is fully paid.");
        }

        if (spent < 0 || spent > grant.Disbursed)
        {
            return Refusal.Invalid(
                "spent", $"At most the {grant.Disbursed:N2} {grant.Currency} paid.", "The report cannot be submitted.");
        }

        return GrantChange.Of(new ReportSubmitted(grant.Id, spent, summary, by, now));
    }

    /// <summary><c>POST /api/grants/{id}/reports</c>: the officer's report; the summary is sealed.</summary>
    public static async Task<Results<Ok<GrantView>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id, ReportInput input, HttpContext http, GrantPath path, CancellationToken cancellationToken) =>
        Answers.Ok(http, await path.RunAsync(
            id,
            http.User,
            Problems.IfMatchVersion(http.Request),
            seals: true,
            (session, grant) => GrantAccess.RefusesActorAsync(session, http.User, grant, cancellationToken),
            (grant, _, _, seal, now) =>
                Decide(grant, input.Spent!.Value, seal!.Seal(input.Summary!), http.User.UserId(), now),
            cancellationToken));
}
