using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Funds;

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

public sealed record TopUpRequest
{
    [Required, Range(typeof(decimal), "0.01", "100000000", ErrorMessage = "Between 0.01 and 100,000,000.")]
    [JsonConverter(typeof(MoneyJsonConverter))]
    public decimal? Amount { get; init; }
}

public sealed record FundView(Guid Id, string Name, string Currency, decimal Balance, decimal Reserved, decimal Disbursed, decimal Available, decimal TotalIn, long Version)
{
    public static FundView Of(Fund f) => new(f.Id, f.Name, f.Currency, f.Balance, f.Reserved, f.Disbursed, f.Available, f.TotalIn, f.Version);
}

public static class FundsApi
{
    public static IEndpointRouteBuilder MapFundsApi(this IEndpointRouteBuilder app)
    {
        var funds = app.MapGroup("/api/funds").WithTags("Funds").RequireAuthorization(Policies.Funder);
        funds.MapPost("/", Create).WithBodyLimit(BodyLimits.Small)
            .WithName("CreateFund").WithSummary("Create a fund with its currency and opening balance.");
        funds.MapGet("/", List).WithName("ListFunds");
        funds.MapGet("/{id:guid}", Get).WithName("GetFund").WithSummary("Balance, reserved, disbursed and available.");
        funds.MapPost("/{id:guid}/top-ups", TopUp).WithBodyLimit(BodyLimits.Small)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithName("TopUpFund").WithSummary("Add money to a fund.");
        return app;
    }

    public static async Task<Created<FundView>> Create(CreateFundRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var created = new FundCreated(Guid.CreateVersion7(), request.Name!, request.Currency!, Money.Round(request.OpeningBalance!.Value), http.User.UserId(), clock.GetUtcNow());
        session.Events.StartStream<Fund>(created.FundId, created);
        await session.SaveChangesAsync(cancellationToken);
        http.Response.Headers.ETag = "\"1\"";
        return TypedResults.Created($"/api/funds/{created.FundId}", FundView.Of(Fund.Create(created) with { Version = 1 }));
    }

    public static async Task<Ok<IReadOnlyList<FundView>>> List(IQuerySession session, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<FundView>>((await session.Query<Fund>().OrderBy(f => f.Name).ToListAsync(cancellationToken)).Select(FundView.Of).ToArray());

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> Get(Guid id, HttpContext http, IQuerySession session, CancellationToken cancellationToken)
    {
        var fund = await session.LoadAsync<Fund>(id, cancellationToken);
        if (fund is null)
        {
            return Problems.NotFound("The fund");
        }

        http.Response.Headers.ETag = $"\"{fund.Version}\"";
        return TypedResults.Ok(FundView.Of(fund));
    }

    public static async Task<Results<Ok<FundView>, ProblemHttpResult>> TopUp(Guid id, TopUpRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Fund>(id, cancellationToken);
        if (stream.Aggregate is null)
        {
            return Problems.NotFound("The fund");
        }

        var toppedUp = new FundToppedUp(id, Money.Round(request.Amount!.Value), http.User.UserId(), clock.GetUtcNow());
        stream.AppendOne(toppedUp);
        await session.SaveChangesAsync(cancellationToken);
        var fund = stream.Aggregate.Apply(toppedUp) with { Version = stream.CurrentVersion ?? 0 };
        http.Response.Headers.ETag = $"\"{fund.Version}\"";
        return TypedResults.Ok(FundView.Of(fund));
    }
}

public static class Money
{
    /// <summary>Amounts are kept to the cent.</summary>
    public static decimal Round(decimal amount) => decimal.Round(amount, 2, MidpointRounding.ToEven);

    public static bool HasMoreThanCents(decimal amount) => amount != Round(amount);
}
