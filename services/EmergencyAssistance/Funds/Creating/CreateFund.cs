using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EmergencyAssistance.Funds.Reading;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Funds.Creating;

public sealed record CreateFundRequest
{
    [Required, StringLength(120, MinimumLength = 2)]
    public string? Name { get; init; }

    /// <summary>ISO 4217, e.g. EUR, USD.</summary>
    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Use the ISO 4217 currency code, e.g. EUR.")]
    public string? Currency { get; init; }

    [Required, Range(typeof(decimal), "0", "100000000", ErrorMessage = "Between 0 and 100,000,000.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? OpeningBalance { get; init; }
}

public static class CreateFund
{
    /// <summary>A new fund of <paramref name="organisation"/>, its opening balance kept to the cent.</summary>
    public static FundCreated Decide(
        CreateFundRequest request, string by, string organisation, DateTimeOffset now) => new(
        Guid.CreateVersion7(), request.Name!, request.Currency!, Money.Round(request.OpeningBalance!.Value), by, now,
        organisation);

    /// <summary>
    /// <c>POST /api/funds</c>: a fund with its currency and opening balance, belonging to the creating funder's
    /// organisation; a funder of no organisation is refused (403).
    /// </summary>
    public static async Task<Results<Created<FundView>, ForbiddenProblem>> Handle(
        CreateFundRequest request,
        HttpContext http,
        IDocumentStore store,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (http.User.OrganisationId() is not { Length: > 0 } organisation)
        {
            return ForbiddenProblem.Because(
                "Your account belongs to no organisation; a fund belongs to its creator's.");
        }

        var outcome = await CommandPath.InSessionAsync<FundView>(
            store,
            session =>
            {
                var now = clock.GetUtcNow();
                var created = Decide(request, http.User.UserId(), organisation, now);
                var fund = StreamChanges.Start(session, created.FundId, created, [], now) with { Version = 1 };
                return Task.FromResult<Outcome<FundView>>(FundView.Of(fund));
            },
            cancellationToken);
        var view = outcome.Value!;
        http.Response.Headers.ETag = $"\"{view.Version}\"";
        return TypedResults.Created($"/api/funds/{view.Id}", view);
    }
}
