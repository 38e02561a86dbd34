using Microsoft.AspNetCore.Identity;

namespace Protection.Identity.Accounts;

/// <summary>A person who signs in: one organisation, roles, a password and a second factor.</summary>
public sealed class Account : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when an administrator deactivates the account; it never signs in again.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    public bool IsActive => DeactivatedAt is null;
}
