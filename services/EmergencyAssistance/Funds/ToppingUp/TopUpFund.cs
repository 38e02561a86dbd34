using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EmergencyAssistance.Funds.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Funds.ToppingUp;

public sealed record TopUpRequest
{
    [Required, Range(typeof(decimal), "0.01", "100000000", ErrorMessage = "Between 0.01 and 100,000,000.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }
}

public static class TopUpFund
{
    /// <summary>Money added to a fund, kept to the cent.</summary>
    public static FundToppedUp Decide(Fund fund, decimal amount, string by, DateTimeOffset now) =>
        new(fund.Id, Money.Round(amount), by, now);

    /// <summary>
    /// <c>POST /api/funds/{id}/top-ups</c>, by a funder of the fund's organisation (another's fund is 404). A
    /// top-up only adds money, so no reading of the fund can make it wrong: it is not pinned to a version, and a
    /// concurrent reservation only sends it round again.
    /// </summary>
    public static async Task<Results<Ok<FundView>, NotFoundProblem>> Handle(
        Guid id,
        TopUpRequest request,
        HttpContext http,
        IDocumentStore store,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var outcome = await CommandPath.RunAsync<Fund, FundView>(
            store,
            id,
            ifMatch: null,
            "The fund",
            (_, fund) => Task.FromResult(FundAccess.IsFunderOf(http.User, fund) ? null : Refusal.NotFound("The fund")),
            (session, stream) =>
            {
                var now = clock.GetUtcNow();
                var toppedUp = Decide(stream.Aggregate!, request.Amount!.Value, http.User.UserId(), now);
                var fund = StreamChanges.Append(session, stream, [toppedUp], now) with
                {
                    Version = stream.CurrentVersion ?? 0,
                };
                return Task.FromResult<Outcome<FundView>>(FundView.Of(fund));
            },
            cancellationToken);
        if (outcome.Refusal is { } refused)
        {
            return new NotFoundProblem(Answers.Problem(refused));
        }

        http.Response.Headers.ETag = $"\"{outcome.Value!.Version}\"";
        return TypedResults.Ok(outcome.Value);
    }
}
