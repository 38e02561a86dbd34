using System.Security.Claims;
using Protection.Relocations.Cases;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.Relocations.Relocations;

/// <summary>How much of a relocation a reader sees.</summary>
public enum RelocationSight
{
    /// <summary>The case's caseworker (owner's supervisors, responsible officer): everything, and the steps.</summary>
    Caseworker,

    /// <summary>
    /// Everything, read only: a partner organisation given personal data, the host organisation with the
    /// defender's consent.
    /// </summary>
    ReadOnly,

    /// <summary>
    /// Read only with the sealed details withheld (destination, host's name, plans, notes, reasons): a
    /// partner organisation without personal data, an auditor of the owner.
    /// </summary>
    Withheld,

    /// <summary>
    /// Only dates and check-in status: the host organisation without the defender's consent.
    /// </summary>
    DatesOnly,
}

/// <summary>
/// Who may see and act on relocations, read on relocation's own copy of the case: the owner's caseworkers
/// act (the shared caseworker rule); partner organisations, auditors of the owner and the relocation's host
/// organisation read only, each as much as <see cref="RelocationSight"/> says. To anyone else the case and
/// its relocations do not exist (404); the owner's other staff keep the 403.
/// </summary>
public static class RelocationAccess
{
    /// <summary>Null when <paramref name="user"/> may act on the case (request a relocation); else why not.</summary>
    public static Refusal? ToCase(ClaimsPrincipal user, CaseRecord @case) =>
        Acting(user, @case, "The case", "This case is not assigned to you.");

    /// <summary>
    /// The same rule for a step of one relocation: the host organisation never changes it (404 unless its
    /// user is also the owner's caseworker), a partner reads it only (403).
    /// </summary>
    public static Refusal? ToRelocation(ClaimsPrincipal user, CaseRecord? @case) =>
        Acting(user, @case, "The relocation", "This relocation is not one of your cases'.");

    /// <summary>What <paramref name="user"/> sees of the case's relocations (the case's list).</summary>
    public static Outcome<RelocationSight> ReadingCase(ClaimsPrincipal user, CaseRecord @case)
    {
        if (@case.IsCaseworker(user))
        {
            return RelocationSight.Caseworker;
        }

        return @case.StandingOf(user) switch
        {
            CaseStanding.Partner => OfPartner(user, @case),
            CaseStanding.Auditor => RelocationSight.Withheld,
            CaseStanding.Owner => Refusal.Forbidden("This case is not assigned to you."),
            _ => Refusal.NotFound("The case"),
        };
    }

    /// <summary>
    /// What <paramref name="user"/> sees of one relocation: its case's readers as for the case's list, and
    /// also the staff of the organisation hosting it (in full with the defender's consent to share with the
    /// host, only dates and check-ins without it). A withdrawal holds from the moment the case record has it.
    /// </summary>
    public static Outcome<RelocationSight> Reading(ClaimsPrincipal user, CaseRecord? @case, Relocation relocation)
    {
        if (@case is null)
        {
            return Refusal.NotFound("The relocation");
        }

        if (@case.IsCaseworker(user))
        {
            return RelocationSight.Caseworker;
        }

        var host = AsHost(user, @case, relocation);
        if (host == RelocationSight.ReadOnly)
        {
            return RelocationSight.ReadOnly;
        }

        return (@case.StandingOf(user), host) switch
        {
            (CaseStanding.Partner, _) => OfPartner(user, @case),
            (_, { } dates) => dates,
            (CaseStanding.Auditor, _) => RelocationSight.Withheld,
            (CaseStanding.Owner, _) => Refusal.Forbidden("This relocation is not one of your cases'."),
            _ => Refusal.NotFound("The relocation"),
        };
    }

    /// <summary>
    /// What the hosting organisation's officers and supervisors see: null when <paramref name="user"/> is
    /// not of the organisation the plan names as host.
    /// </summary>
    public static RelocationSight? AsHost(ClaimsPrincipal user, CaseRecord? @case, Relocation relocation) =>
        OrganisationRule.IsStaffOf(user, relocation.HostOrganisationId)
            ? @case?.Consent?.ShareWithRelocationHost == true ? RelocationSight.ReadOnly : RelocationSight.DatesOnly
            : null;

    private static RelocationSight OfPartner(ClaimsPrincipal user, CaseRecord @case) =>
        OrganisationRule.PartnerOf(user, @case.Partners)?.SeesPersonalData == true
            ? RelocationSight.ReadOnly
            : RelocationSight.Withheld;

    private static Refusal? Acting(ClaimsPrincipal user, CaseRecord? @case, string what, string forbidden)
    {
        if (@case?.IsCaseworker(user) == true)
        {
            return null;
        }

        return @case is null || @case.StandingOf(user) == CaseStanding.None
            ? Refusal.NotFound(what)
            : Refusal.Forbidden(forbidden);
    }
}
