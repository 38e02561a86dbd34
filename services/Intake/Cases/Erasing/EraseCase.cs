using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.Messaging;
using Protection.ServiceDefaults.PersonalData;

namespace Protection.Intake.Cases.Erasing;

public sealed record ErasureRequest
{
    /// <summary>Why the data is erased: defenderRequest, retentionExpired, legalObligation or securityRisk.</summary>
    [Required]
    public ErasureBasis? Basis { get; init; }
}

public sealed record ErasureResponse(Guid CaseId, ErasureBasis Basis, DateTimeOffset ErasedAt, long Version);

public static class EraseCase
{
    /// <summary>
    /// <c>POST /api/cases/{id}/erasure</c> (admin): crypto-shredding. Deletes the case's key, records
    /// <see cref="PersonalDataErased"/> in the case's stream and publishes <see cref="Contracts.Cases.CaseErased"/>
    /// (so relocation, triage and assistance destroy their keys too) in one transaction. The events
    /// and their hashes are untouched: the history still verifies; what was sealed reads as erased.
    /// </summary>
    public static Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> Handle(
        Guid id, ErasureRequest request, HttpContext http, IDocumentStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        OptimisticRetry.RunAsync(store, callerPinnedVersion: false, async session =>
        {
            var stream = await session.Events.FetchForWriting<Case>(id, cancellationToken);
            if (stream.Aggregate is not { } @case)
            {
                return (Results<Ok<ErasureResponse>, ProblemHttpResult>)Problems.NotFound("The case");
            }

            if (@case.ErasedAt is { } erasedAt)
            {
                return Problems.Conflict(
                    "The case's personal data was already erased.",
                    new Dictionary<string, object?> { ["erasedAt"] = erasedAt });
            }

            var now = clock.GetUtcNow();
            var basis = request.Basis!.Value;
            session.Delete<CaseKey>(id);
            stream.AppendOne(new PersonalDataErased(id, basis, http.User.UserId(), now));
            session.PublishAfterCommit(new Contracts.Cases.CaseErased(id, @case.Reference, basis, now, OperationContext.Current!.ToEventMetadata(now)));
            await session.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(new ErasureResponse(id, basis, now, stream.CurrentVersion ?? 0));
        });
}
