using System.ComponentModel.DataAnnotations;

namespace Protection.Identity.Organisations;

/// <summary>What an organisation does on the platform; it bounds the roles its people may hold.</summary>
public enum OrganisationKind
{
    /// <summary>
    /// Holds cases: protection officers and supervisors; and funders, for the emergency budget many
    /// protection programmes run themselves.
    /// </summary>
    Protection,

    /// <summary>Holds funds: funders.</summary>
    Funding,

    /// <summary>Audits the organisations it is granted (<see cref="AuditGrant"/>): auditors.</summary>
    Audit,

    /// <summary>Runs the platform: administrators.</summary>
    Platform,
}

public sealed class Organisation
{
    public Guid Id { get; set; }

    [MaxLength(200)]
    public string Name { get; set; } = string.Empty;

    public OrganisationKind Kind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The roles people of an organisation of this kind may hold.</summary>
    public static IReadOnlySet<string> RolesFor(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Protection => new HashSet<string>
        {
            ServiceDefaults.Auth.Roles.Officer,
            ServiceDefaults.Auth.Roles.Supervisor,
            ServiceDefaults.Auth.Roles.Funder,
        },
        OrganisationKind.Funding => new HashSet<string> { ServiceDefaults.Auth.Roles.Funder },
        OrganisationKind.Audit => new HashSet<string> { ServiceDefaults.Auth.Roles.Auditor },
        _ => new HashSet<string> { ServiceDefaults.Auth.Roles.Admin },
    };
}
