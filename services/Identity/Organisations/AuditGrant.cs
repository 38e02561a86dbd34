namespace Protection.Identity.Organisations;

/// <summary>
/// An audit organisation granted one named organisation: its auditors read that organisation's cases
/// (the <c>audits</c> claim of their access tokens, read at every issue).
/// </summary>
public sealed class AuditGrant
{
    /// <summary>The audit organisation (kind <see cref="OrganisationKind.Audit"/>).</summary>
    public Guid AuditOrganisationId { get; set; }

    /// <summary>The organisation it audits (never itself an audit organisation).</summary>
    public Guid AuditedOrganisationId { get; set; }
}
