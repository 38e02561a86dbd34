using System.Security.Claims;
using Protection.Contracts.Cases;

namespace Protection.ServiceDefaults.Auth;

/// <summary>How a user stands towards a case, by organisation; it bounds what the roles allow.</summary>
public enum CaseStanding
{
    /// <summary>
    /// Not of an organisation that holds the case, nor auditing its owner: the case does not exist for them.
    /// </summary>
    None,

    /// <summary>An officer or supervisor of the organisation that owns the case: acts as the roles allow.</summary>
    Owner,

    /// <summary>
    /// An officer or supervisor of an organisation the case is shared with: reads only, and without personal
    /// data unless the referral's consent gave it.
    /// </summary>
    Partner,

    /// <summary>
    /// An auditor whose audit body was granted the owner organisation: reads the record, no personal data.
    /// </summary>
    Auditor,
}

/// <summary>
/// Organisations bound every role: officers and supervisors act on their own organisation's cases and read
/// the cases shared with it; auditors read the cases of the organisations their body audits; funders are
/// bounded by their funds (each service that holds funds applies that). One rule for every service, read on
/// each service's own copy of the case's holders (intake's <see cref="CaseHoldersChanged"/>).
/// </summary>
public static class OrganisationRule
{
    /// <summary>
    /// The claim (multi-valued) naming the organisations an auditor's audit body is granted; the identity
    /// service issues it from the body's grants.
    /// </summary>
    public const string AuditsClaim = "audits";

    /// <summary>The organisations the user audits: none unless they hold the auditor role.</summary>
    public static IReadOnlySet<string> AuditedOrganisations(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Auditor)
            ? user.FindAll(AuditsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    /// <summary>True for an officer or supervisor of <paramref name="organisation"/>.</summary>
    public static bool IsStaffOf(ClaimsPrincipal user, string? organisation) =>
        !string.IsNullOrEmpty(organisation)
        && user.OrganisationId() == organisation
        && (user.IsInRole(Roles.Officer) || user.IsInRole(Roles.Supervisor));

    /// <summary>
    /// How <paramref name="user"/> stands towards a case owned by <paramref name="owner"/> and shared with
    /// <paramref name="partners"/>. A case with no known owner is no one's.
    /// </summary>
    public static CaseStanding StandingOf(
        ClaimsPrincipal user, string? owner, IEnumerable<CasePartner>? partners)
    {
        if (string.IsNullOrEmpty(owner))
        {
            return CaseStanding.None;
        }

        if (IsStaffOf(user, owner))
        {
            return CaseStanding.Owner;
        }

        if (user.OrganisationId() is { Length: > 0 } organisation
            && (user.IsInRole(Roles.Officer) || user.IsInRole(Roles.Supervisor))
            && (partners ?? []).Any(p => p.Organisation == organisation))
        {
            return CaseStanding.Partner;
        }

        return user.AuditedOrganisations().Contains(owner) ? CaseStanding.Auditor : CaseStanding.None;
    }

    /// <summary>The partner entry of <paramref name="user"/>'s organisation, if the case is shared with it.</summary>
    public static CasePartner? PartnerOf(ClaimsPrincipal user, IEnumerable<CasePartner>? partners) =>
        user.OrganisationId() is { Length: > 0 } organisation
            ? (partners ?? []).FirstOrDefault(p => p.Organisation == organisation)
            : null;
}
