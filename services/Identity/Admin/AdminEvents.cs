using Protection.Identity.Organisations;

namespace Protection.Identity.Admin;

// What administrators (and people enrolling themselves) did, one hash-chained stream per
// organisation and per account. Ids, kinds and roles only: no names, e-mail addresses or secrets,
// since auditors read this log.

public sealed record OrganisationCreated(Guid OrganisationId, string Name, OrganisationKind Kind);

/// <summary>The organisations an audit organisation audits, the whole set from now on.</summary>
public sealed record AuditedOrganisationsSet(Guid OrganisationId, Guid[] Audits);

public sealed record AccountCreated(Guid AccountId, Guid OrganisationId, string[] Roles);

public sealed record AccountEnrolled(Guid AccountId);

public sealed record RoleGranted(Guid AccountId, string Role);

public sealed record RoleRevoked(Guid AccountId, string Role);

public sealed record SecondFactorReset(Guid AccountId);

public sealed record AccountDeactivated(Guid AccountId, int TokensRevoked);
