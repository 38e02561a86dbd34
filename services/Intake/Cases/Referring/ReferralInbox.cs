using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Contracts.Cases;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Referring;

/// <summary>
/// A referral addressed to the reader's organisation, with what it needs to decide: no personal data. The
/// reason is for the receiving organisation's supervisors (who answer it); null to its officers.
/// </summary>
public sealed record ReferralInboxItem(
    Guid CaseId,
    string CaseReference,
    Guid ReferralId,
    string FromOrganisation,
    ReferralKind Kind,
    ReferralStatus Status,
    bool SharePersonalData,
    DateTimeOffset ReferredAt,
    string Country,
    IReadOnlyList<ThreatType> ThreatTypes,
    string? Reason);

public static class ReferralInbox
{
    /// <summary>
    /// <c>GET /api/referrals?status=</c> (default <c>pending</c>): the referrals addressed to the reader's
    /// organisation in that status, newest first. One query: the cases whose JSON holds such a referral.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<ReferralInboxItem>>, UnprocessableProblem>> Handle(
        HttpContext http,
        IQuerySession session,
        PersonalDataVault vault,
        CancellationToken cancellationToken,
        string? status = null)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = QueryValues.Enum<ReferralStatus>(status, nameof(status), errors) ?? ReferralStatus.Pending;
        if (errors.Count > 0)
        {
            return UnprocessableProblem.For(errors, "The referrals cannot be listed.");
        }

        if (http.User.OrganisationId() is not { Length: > 0 } organisation)
        {
            return TypedResults.Ok<IReadOnlyList<ReferralInboxItem>>([]);
        }

        // Containment in the case's JSON, written by the store's own serializer so it matches what is stored.
        var addressed = session.DocumentStore.Options.Serializer().ToJson(new
        {
            Referrals = new[] { new { ToOrganisation = organisation, Status = wanted } },
        });
        var cases = await session.QueryAsync<Case>('^', "where data @> ^::jsonb", cancellationToken, addressed);

        var supervisor = CaseAccess.IsSupervisor(http.User);
        var keys = supervisor && cases.Count > 0
            ? await session.LoadManyAsync<CaseKey>(cancellationToken, cases.Select(c => c.Id).ToArray())
            : [];
        var items = new List<ReferralInboxItem>();
        foreach (var @case in cases)
        {
            var seal = supervisor ? Seal(vault, keys.FirstOrDefault(k => k.Id == @case.Id)) : null;
            items.AddRange(@case.Referrals
                .Where(r => r.ToOrganisation == organisation && r.Status == wanted)
                .Select(r => new ReferralInboxItem(
                    @case.Id,
                    @case.Reference,
                    r.Id,
                    r.FromOrganisation,
                    r.Kind,
                    r.Status,
                    r.SharePersonalData,
                    r.ReferredAt,
                    @case.Country,
                    @case.ThreatTypes,
                    supervisor ? CaseKeys.Text(seal, r.Reason) : null)));
        }

        return TypedResults.Ok<IReadOnlyList<ReferralInboxItem>>(
            [.. items.OrderByDescending(i => i.ReferredAt).ThenByDescending(i => i.ReferralId)]);
    }

    private static CaseSeal? Seal(PersonalDataVault vault, CaseKey? stored)
    {
        try
        {
            return stored is null ? null : new CaseSeal(vault, stored.Id, vault.Unwrap(stored));
        }
        catch (CryptographicException)
        {
            // A key that does not unwrap under the current master key reads as erased, never as a 500.
            return null;
        }
    }
}
