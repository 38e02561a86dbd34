using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Referring;

public sealed record ReferCaseRequest
{
    /// <summary>The platform id of the organisation the case is offered to.</summary>
    [Required]
    [StringLength(100, MinimumLength = 1)]
    public string? ToOrganisation { get; init; }

    /// <summary><c>share</c> (it reads the case) or <c>transfer</c> (it takes the case over).</summary>
    [Required]
    public ReferralKind? Kind { get; init; }

    /// <summary>Why the case is referred. Sealed with the case key.</summary>
    [Required]
    [StringLength(2000, MinimumLength = 1)]
    public string? Reason { get; init; }

    /// <summary>The defender consented that the receiver reads their personal data.</summary>
    [Required]
    public bool? SharePersonalData { get; init; }
}

public sealed record CaseReferredResponse(Guid CaseId, Guid ReferralId, long Version) : IVersioned;

public static class ReferCase
{
    public const string Title = "The case cannot be referred.";

    public const string Erased = "The case's personal data was erased; a referral's reason cannot be sealed any more.";

    /// <summary>
    /// Rules beyond the request's shape: a case is referred to an organisation that does not hold it and has
    /// no referral of it waiting, and while its key (which seals the reason) exists.
    /// </summary>
    public static Refusal? Check(Case @case, string toOrganisation)
    {
        if (@case.ErasedAt is not null)
        {
            return Refusal.Invalid("id", Erased, Title);
        }

        var why = toOrganisation == @case.Organisation ? "The case already belongs to this organisation."
            : @case.Partners.Any(p => p.Organisation == toOrganisation)
                ? "The case is already shared with this organisation."
            : @case.Referrals.Any(r => r.ToOrganisation == toOrganisation && r.Status == ReferralStatus.Pending)
                ? "A referral of the case to this organisation is already waiting for its answer."
            : null;
        return why is null ? null : Refusal.Invalid("toOrganisation", why, Title);
    }

    /// <summary>The referral as recorded: <paramref name="reason"/> is already sealed.</summary>
    public static Outcome<CaseReferred> Decide(
        Case @case,
        Guid referralId,
        string toOrganisation,
        ReferralKind kind,
        bool sharePersonalData,
        SealedData reason,
        string by,
        DateTimeOffset now) =>
        Check(@case, toOrganisation) is { } refused
            ? refused
            : new CaseReferred(
                @case.Id, referralId, @case.Organisation!, toOrganisation, kind, sharePersonalData, reason, by, now);

    /// <summary>
    /// <c>POST /api/cases/{id}/referrals</c>: the owner's caseworkers offer the case to another organisation, to
    /// share it or to transfer it. Nothing changes for the receiver until one of its supervisors accepts.
    /// </summary>
    public static async Task<Results<Created<CaseReferredResponse>, NotFoundProblem, ForbiddenProblem,
        ConflictProblem, UnprocessableProblem>> Handle(
        Guid id,
        ReferCaseRequest request,
        HttpContext http,
        IDocumentStore store,
        PersonalDataVault vault,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        Answers.Created(http, await CommandPath.RunAsync<Case, CaseReferredResponse>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The case",
            CaseAccess.Caseworkers(
                http.User,
                "Only the case's officer or a supervisor of its organisation can refer it.",
                cancellationToken),
            async (session, stream) =>
            {
                var @case = stream.Aggregate!;
                if (Check(@case, request.ToOrganisation!) is { } refused)
                {
                    return refused;
                }

                if (await session.LoadAsync<CaseKey>(id, cancellationToken) is not { } stored)
                {
                    return Refusal.Invalid("id", Erased, Title);
                }

                var now = clock.GetUtcNow();
                var decided = Decide(
                    @case,
                    Guid.CreateVersion7(),
                    request.ToOrganisation!,
                    request.Kind!.Value,
                    request.SharePersonalData!.Value,
                    vault.Seal(vault.Unwrap(stored), id, request.Reason!),
                    http.User.UserId(),
                    now);
                if (decided.Refusal is { } invalid)
                {
                    return invalid;
                }

                StreamChanges.Append(session, stream, [decided.Value!], now);
                return new CaseReferredResponse(id, decided.Value!.ReferralId, stream.CurrentVersion ?? 0);
            },
            cancellationToken), r => $"/api/cases/{r.CaseId}");
}
