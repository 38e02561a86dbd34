using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Protection.Identity.Organisations;

namespace Protection.Identity.Accounts;

/// <summary>
/// The identity service's own database: ASP.NET Core Identity's accounts and roles, OpenIddict's
/// clients, authorizations and tokens, organisations and their audit grants, and the data-protection
/// keys that protect cookies and enrolment links (shared by every replica). Schema changes are EF Core
/// migrations, applied at start-up.
/// </summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options)
    : IdentityDbContext<Account, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<AuditGrant> AuditGrants => Set<AuditGrant>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema("identity");
        builder.UseOpenIddict();
        builder.Entity<Organisation>(organisation =>
        {
            organisation.HasIndex(o => o.Name).IsUnique();
            organisation.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        });
        builder.Entity<AuditGrant>(grant =>
        {
            grant.HasKey(g => new { g.AuditOrganisationId, g.AuditedOrganisationId });
            grant.HasOne<Organisation>().WithMany().HasForeignKey(g => g.AuditOrganisationId);
            grant.HasOne<Organisation>().WithMany().HasForeignKey(g => g.AuditedOrganisationId);
        });
        builder.Entity<Account>().HasIndex(a => a.OrganisationId);
    }
}

/// <summary>For <c>dotnet ef migrations add</c>: the model without starting the service.</summary>
internal sealed class DesignTimeIdentityDb : IDesignTimeDbContextFactory<IdentityDb>
{
    public IdentityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentityDb>()
            .UseNpgsql("Host=127.0.0.1;Database=protection_identity_design")
            .Options);
}
