using System.Security.Claims;
using Marten;
using Protection.Contracts.Cases;
using Protection.ServiceDefaults.Auth;

namespace Protection.Triage.Cases;

/// <summary>
/// Which organisations hold a case (the owner, which acts on it, and the partners it is shared with, which
/// read it), as triage learned it from intake: <see cref="CaseOpened"/>'s organisation, then each
/// <see cref="CaseHoldersChanged"/>. A document, not events of triage's case stream: that stream holds
/// triage's own decisions only. Keyed by the case id; the newest of intake's versions wins, whatever order
/// the messages arrive in (the case opened at version 1).
/// </summary>
public sealed class CaseHolding
{
    public Guid Id { get; set; }

    /// <summary>The organisation that owns the case; null until intake said so (then the case is no one's).</summary>
    public string? Owner { get; set; }

    public List<CasePartner> Partners { get; set; } = [];

    /// <summary>Intake's case version this holding is from; 0 while none is known.</summary>
    public long Version { get; set; }

    /// <summary>The holding of <paramref name="caseId"/> as stored, or an empty one (no owner) when none is.</summary>
    public static async Task<CaseHolding> OfAsync(
        IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        await session.LoadAsync<CaseHolding>(caseId, cancellationToken) ?? new CaseHolding { Id = caseId };

    /// <summary>
    /// Takes the holding of intake's <paramref name="version"/> when it is newer than the one held; an older
    /// or repeated one changes nothing. Returns whether it was taken.
    /// </summary>
    public bool Learn(string? owner, IEnumerable<CasePartner> partners, long version)
    {
        if (version <= Version)
        {
            return false;
        }

        (Owner, Partners, Version) = (owner, [.. partners], version);
        return true;
    }

    /// <summary>How <paramref name="user"/> stands towards the case by organisation.</summary>
    public CaseStanding StandingOf(ClaimsPrincipal user) => OrganisationRule.StandingOf(user, Owner, Partners);
}
