using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Referring;

public sealed record DeclineReferralRequest
{
    /// <summary>Why the receiving organisation declines, if it says. Sealed with the case key.</summary>
    [StringLength(2000)]
    public string? Reason { get; init; }
}

public sealed record ReferralStepResponse(Guid CaseId, Guid ReferralId, ReferralStatus Status, long Version)
    : IVersioned;

/// <summary>
/// The steps of a referral after it is made: the receiving organisation's supervisor accepts or declines it,
/// the owner's caseworker revokes it. Each is an event of the case's stream.
/// </summary>
public static class AnswerReferral
{
    private const string Referral = "The referral";

    public static Outcome<ReferralAccepted> Accept(Case @case, Guid referralId, string by, DateTimeOffset now)
    {
        if (Pending(@case, referralId, "accepted") is { } refused)
        {
            return refused;
        }

        var referral = @case.ReferralOf(referralId)!;
        if (referral.FromOrganisation != @case.Organisation)
        {
            return Refusal.Conflict(
                "The organisation that made the referral no longer owns the case; the referral cannot be accepted.");
        }

        return new ReferralAccepted(@case.Id, referralId, referral.FromOrganisation, referral.ToOrganisation,
            referral.Kind, referral.SharePersonalData, by, now);
    }

    public static Outcome<ReferralDeclined> Decline(
        Case @case, Guid referralId, SealedData? reason, string by, DateTimeOffset now) =>
        Pending(@case, referralId, "declined") is { } refused
            ? refused
            : new ReferralDeclined(@case.Id, referralId, @case.ReferralOf(referralId)!.ToOrganisation, reason, by, now);

    /// <summary>
    /// A pending referral is withdrawn; an accepted share ends (its partner drops out); an accepted transfer
    /// cannot be undone by revoking it (the case is the receiver's now); a declined or revoked one is over.
    /// </summary>
    public static Outcome<ReferralRevoked> Revoke(Case @case, Guid referralId, string by, DateTimeOffset now)
    {
        if (@case.ReferralOf(referralId) is not { } referral)
        {
            return Refusal.NotFound(Referral);
        }

        return (referral.Status, referral.Kind) switch
        {
            (ReferralStatus.Pending, _) =>
                new ReferralRevoked(@case.Id, referralId, referral.ToOrganisation, false, by, now),
            (ReferralStatus.Accepted, ReferralKind.Share) =>
                new ReferralRevoked(@case.Id, referralId, referral.ToOrganisation, true, by, now),
            (ReferralStatus.Accepted, ReferralKind.Transfer) => Refusal.Conflict(
                "An accepted transfer cannot be revoked: the case belongs to the organisation it went to.",
                Status(referral)),
            _ => Refusal.Conflict($"The referral was already {Word(referral.Status)}.", Status(referral)),
        };
    }

    /// <summary><c>POST /api/cases/{id}/referrals/{referralId}/acceptance</c>: the receiver accepts.</summary>
    public static async Task<Results<Ok<ReferralStepResponse>, NotFoundProblem, ForbiddenProblem, ConflictProblem>>
        Acceptance(
            Guid id,
            Guid referralId,
            HttpContext http,
            IDocumentStore store,
            TimeProvider clock,
            CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await CommandPath.RunAsync<Case, ReferralStepResponse>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The case",
            (_, @case) => Task.FromResult(AsReceiver(http.User, @case, referralId)),
            (session, stream) =>
            {
                var now = clock.GetUtcNow();
                return Task.FromResult(Record(
                    session, stream, id, referralId, Accept(stream.Aggregate!, referralId, http.User.UserId(), now),
                    now));
            },
            cancellationToken));

    /// <summary>
    /// <c>POST /api/cases/{id}/referrals/{referralId}/decline</c>: a receiving supervisor declines, with an
    /// optional reason sealed with the case key.
    /// </summary>
    public static async Task<Results<Ok<ReferralStepResponse>, NotFoundProblem, ForbiddenProblem, ConflictProblem,
        UnprocessableProblem>> Declining(
            Guid id,
            Guid referralId,
            DeclineReferralRequest? request,
            HttpContext http,
            IDocumentStore store,
            PersonalDataVault vault,
            TimeProvider clock,
            CancellationToken cancellationToken) =>
        Answers.Ok(http, await CommandPath.RunAsync<Case, ReferralStepResponse>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The case",
            (_, @case) => Task.FromResult(AsReceiver(http.User, @case, referralId)),
            async (session, stream) =>
            {
                var now = clock.GetUtcNow();
                var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason;
                if (Pending(stream.Aggregate!, referralId, "declined") is { } refused)
                {
                    return refused;
                }

                SealedData? sealedReason = null;
                if (reason is not null)
                {
                    if (await session.LoadAsync<CaseKey>(id, cancellationToken) is not { } stored)
                    {
                        return Refusal.Invalid(
                            "reason",
                            "The case's personal data was erased; decline without a reason.",
                            "The referral cannot be declined with a reason.");
                    }

                    sealedReason = vault.Seal(vault.Unwrap(stored), id, reason);
                }

                return Record(session, stream, id, referralId,
                    Decline(stream.Aggregate!, referralId, sealedReason, http.User.UserId(), now), now);
            },
            cancellationToken));

    /// <summary>
    /// <c>POST /api/cases/{id}/referrals/{referralId}/revocation</c>: the owner's caseworker withdraws a pending
    /// referral or ends an accepted share.
    /// </summary>
    public static async Task<Results<Ok<ReferralStepResponse>, NotFoundProblem, ForbiddenProblem, ConflictProblem>>
        Revocation(
            Guid id,
            Guid referralId,
            HttpContext http,
            IDocumentStore store,
            TimeProvider clock,
            CancellationToken cancellationToken) =>
        Answers.OkWithoutRules(http, await CommandPath.RunAsync<Case, ReferralStepResponse>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The case",
            CaseAccess.Caseworkers(
                http.User,
                "Only the case's officer or a supervisor of its organisation can revoke its referrals.",
                cancellationToken),
            (session, stream) =>
            {
                var now = clock.GetUtcNow();
                return Task.FromResult(Record(
                    session, stream, id, referralId, Revoke(stream.Aggregate!, referralId, http.User.UserId(), now),
                    now));
            },
            cancellationToken));

    /// <summary>
    /// Acceptance and decline are authorised by the referral, not by the case: its receiver has no standing on
    /// the case until it accepts. Anyone the case does not exist for gets 404; others who know it, 403.
    /// </summary>
    private static Refusal? AsReceiver(ClaimsPrincipal user, Case @case, Guid referralId) =>
        @case.ReferralOf(referralId) is { } referral && CaseAccess.IsReceiverOf(user, referral) ? null
        : CaseAccess.StandingOf(user, @case) == CaseStanding.None ? Refusal.NotFound("The case")
        : Refusal.Forbidden("Only a supervisor of the organisation the case is referred to can answer the referral.");

    private static Refusal? Pending(Case @case, Guid referralId, string step) =>
        @case.ReferralOf(referralId) switch
        {
            null => Refusal.NotFound(Referral),
            { Status: ReferralStatus.Pending } => null,
            var referral => Refusal.Conflict(
                $"The referral was already {Word(referral.Status)}; only a pending referral can be {step}.",
                Status(referral)),
        };

    private static Outcome<ReferralStepResponse> Record<T>(
        IDocumentSession session, IEventStream<Case> stream, Guid id, Guid referralId, Outcome<T> decided,
        DateTimeOffset now)
        where T : class
    {
        if (decided.Refusal is { } refused)
        {
            return refused;
        }

        var after = StreamChanges.Append(session, stream, [decided.Value!], now);
        var status = after.ReferralOf(referralId)!.Status;
        return new ReferralStepResponse(id, referralId, status, stream.CurrentVersion ?? 0);
    }

    private static Dictionary<string, object?> Status(Referral referral) =>
        new() { ["status"] = Word(referral.Status) };

    private static string Word(ReferralStatus status) => status.ToString().ToLowerInvariant();
}
