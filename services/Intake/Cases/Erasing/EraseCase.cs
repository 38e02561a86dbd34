using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.Intake.Cases.Erasing;

public sealed record ErasureRequest
{
    /// <summary>Why the data is erased: defenderRequest, retentionExpired, legalObligation or securityRisk.</summary>
    [Required]
    public ErasureBasis? Basis { get; init; }
}

public sealed record ErasureResponse(Guid CaseId, ErasureBasis Basis, DateTimeOffset ErasedAt, long Version)
    : IVersioned;

public static class EraseCase
{
    /// <summary>A case's personal data is erased once.</summary>
    public static Outcome<PersonalDataErased> Decide(Case @case, ErasureBasis basis, string by, DateTimeOffset now) =>
        @case.ErasedAt is { } erasedAt
            ? Refusal.Conflict(
                "The case's personal data was already erased.",
                new Dictionary<string, object?> { ["erasedAt"] = erasedAt })
            : new PersonalDataErased(@case.Id, basis, by, now);

    /// <summary>
    /// <c>POST /api/cases/{id}/erasure</c> (admin): crypto-shredding. Deletes the case's key, records
    /// <see cref="PersonalDataErased"/> in the case's stream and publishes <see cref="Contracts.Cases.CaseErased"/>
    /// (so relocation, triage and assistance destroy their keys too) in one transaction. The events
    /// and their hashes are untouched: the history still verifies; what was sealed reads as erased.
    /// </summary>
    public static async Task<Results<Ok<ErasureResponse>, NotFoundProblem, ForbiddenProblem, ConflictProblem>> Handle(
        Guid id,
        ErasureRequest request,
        HttpContext http,
        IDocumentStore store,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await CommandPath.RunAsync<Case, ErasureResponse>(
            store,
            id,
            ifMatch: null,
            "The case",
            (_, _) => Task.FromResult<Refusal?>(null),
            (session, stream) =>
            {
                var now = clock.GetUtcNow();
                var decided = Decide(stream.Aggregate!, request.Basis!.Value, http.User.UserId(), now);
                if (decided.Refusal is { } refused)
                {
                    return Task.FromResult<Outcome<ErasureResponse>>(refused);
                }

                var erased = decided.Value!;
                session.Delete<CaseKey>(id);
                StreamChanges.Append(session, stream, [erased], now);
                return Task.FromResult<Outcome<ErasureResponse>>(
                    new ErasureResponse(id, erased.Basis, now, stream.CurrentVersion ?? 0));
            },
            cancellationToken));
}
