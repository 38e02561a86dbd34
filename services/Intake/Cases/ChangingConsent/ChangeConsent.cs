using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.ChangingConsent;

/// <summary>The defender's consent to sharing, as it now stands (the whole of it, not a change).</summary>
public sealed record ChangeConsentRequest
{
    [Required]
    public bool? ShareWithFunders { get; init; }

    [Required]
    public bool? ShareWithRelocationHost { get; init; }
}

public sealed record ConsentResponse(Guid CaseId, ConsentScopes Consent, long Version) : IVersioned;

public static class ChangeConsent
{
    /// <summary>The event that records <paramref name="wanted"/>; none when it is the consent in force.</summary>
    public static IReadOnlyList<object> Decide(Case @case, ConsentScopes wanted, string by, DateTimeOffset now) =>
        @case.Consent.Scopes == wanted
            ? []
            : [new DefenderConsentChanged(@case.Id, @case.Consent.Scopes, wanted, by, now)];

    /// <summary>
    /// <c>PUT /api/cases/{id}/consent</c>: the owner's caseworkers record the defender's consent as it now
    /// stands. A change is an event of the case and is published (<see cref="ConsentChanged"/>), so every
    /// service holds a withdrawal from the moment it hears of it; the same consent again changes nothing.
    /// </summary>
    public static async Task<Results<Ok<ConsentResponse>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Handle(
        Guid id,
        ChangeConsentRequest request,
        HttpContext http,
        IDocumentStore store,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.Ok(http, await CommandPath.RunAsync<Case, ConsentResponse>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The case",
            CaseAccess.Caseworkers(
                http.User,
                "Only the case's officer or a supervisor of its organisation can record the defender's consent.",
                cancellationToken),
            (session, stream) =>
            {
                var now = clock.GetUtcNow();
                var wanted = new ConsentScopes(request.ShareWithFunders!.Value, request.ShareWithRelocationHost!.Value);
                var events = Decide(stream.Aggregate!, wanted, http.User.UserId(), now);
                var after = events.Count > 0 ? StreamChanges.Append(session, stream, events, now) : stream.Aggregate!;
                return Task.FromResult<Outcome<ConsentResponse>>(
                    new ConsentResponse(id, after.Consent.Scopes, stream.CurrentVersion ?? 0));
            },
            cancellationToken));
}
