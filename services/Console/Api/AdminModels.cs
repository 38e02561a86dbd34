namespace Protection.Console.Api;

// The identity service's admin API (/api/admin) and intake's erasure routes, as the administrators' pages read
// them. Nothing here holds a password, an authenticator key or a recovery code: the API never answers one.

/// <summary>An organisation as administrators see it; <see cref="Audits"/> for an audit organisation.</summary>
public sealed record AdminOrganisation(
    Guid Id, string Name, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<string> AllowedRoles,
    IReadOnlyList<Guid> Audits);

public sealed record AdminUser(
    Guid Id, string UserName, Guid OrganisationId, IReadOnlyList<string> Roles, bool Enrolled, bool Active,
    DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

/// <summary>A one-time link for the person, shown to the administrator once and never kept.</summary>
public sealed record Enrolment(Uri EnrolmentLink, DateTimeOffset ExpiresAt);

public sealed record CreatedUser(AdminUser User, Enrolment Enrolment);

/// <summary>What erasing a case destroys, counted: no content.</summary>
public sealed record ErasureSummary(
    Guid CaseId, string Reference, bool Erased, DateTimeOffset? ErasedAt, int Threats, int Referrals, int Grants,
    int Relocations, IReadOnlyList<string> Services);

/// <summary>The administrators' calls, on the signed-in administrator's own token.</summary>
public static class AdminCalls
{
    public static readonly string[] Kinds = ["protection", "funding", "audit", "platform"];

    public static readonly string[] Roles = ["officer", "supervisor", "funder", "auditor", "admin"];

    public static readonly string[] Bases = ["defenderRequest", "retentionExpired", "legalObligation", "securityRisk"];

    public static Task<ApiResult<List<AdminOrganisation>>> AdminOrganisationsAsync(this ProtectionApi api) =>
        api.GetAsync<List<AdminOrganisation>>("api/admin/organisations");

    public static Task<ApiResult<List<AdminUser>>> AdminUsersAsync(this ProtectionApi api, Guid? organisation) =>
        api.GetAsync<List<AdminUser>>(
            organisation is { } id ? $"api/admin/users?organisationId={id}" : "api/admin/users");

    public static Task<ApiResult<ErasureSummary>> ErasureSummaryAsync(this ProtectionApi api, Guid id) =>
        api.GetAsync<ErasureSummary>($"api/cases/{id}/erasure");
}
