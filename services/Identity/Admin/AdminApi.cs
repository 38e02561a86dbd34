using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Protection.Identity.Accounts;
using Protection.Identity.Organisations;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Identity.Admin;

public sealed record CreateOrganisationRequest
{
    [Required]
    [StringLength(200, MinimumLength = 2)]
    public string? Name { get; init; }

    [Required]
    public OrganisationKind? Kind { get; init; }
}

/// <param name="Audits">The organisations an audit organisation audits (empty for other kinds).</param>
public sealed record OrganisationView(
    Guid Id,
    string Name,
    OrganisationKind Kind,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> AllowedRoles,
    IReadOnlyList<Guid> Audits);

public sealed record CreateUserRequest
{
    [Required]
    [StringLength(64, MinimumLength = 3)]
    [RegularExpression("^[A-Za-z0-9._@-]+$", ErrorMessage = "Letters, digits and . _ @ - only.")]
    public string? UserName { get; init; }

    [Required]
    [EmailAddress]
    [StringLength(254)]
    public string? Email { get; init; }

    [Required]
    public Guid? OrganisationId { get; init; }

    [Required]
    [MinLength(1)]
    public List<string>? Roles { get; init; }
}

public sealed record RoleRequest
{
    [Required]
    public string? Role { get; init; }
}

public sealed record UserView(
    Guid Id, string UserName, string? Email, Guid OrganisationId, IReadOnlyList<string> Roles,
    bool Enrolled, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

/// <summary>A one-time link the administrator hands to the person, by a channel of their choosing.</summary>
public sealed record EnrolmentView(Uri EnrolmentLink, DateTimeOffset ExpiresAt);

public sealed record CreatedUserView(UserView User, EnrolmentView Enrolment);

/// <summary>
/// <c>/api/admin</c>: platform administrators create organisations and accounts, name the organisations
/// an audit organisation audits, grant and revoke roles, reset second factors and deactivate accounts.
/// Every change is an event in the hash-chained log, which administrators and auditors read and verify.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Administration");
        var manage = admin.MapGroup(string.Empty).RequireAuthorization(Policies.Admin);
        // Names, e-mail addresses, ids and role names only.
        manage.WithBodyLimit(BodyLimits.Small);
        manage.MapPost("/organisations", CreateOrganisation).ProducesProblems(StatusCodes.Status409Conflict);
        manage.MapGet("/organisations", ListOrganisations);
        manage.MapAuditGrants();
        manage.MapPost("/users", CreateUser)
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        manage.MapGet("/users", ListUsers);
        manage.MapGet("/users/{id:guid}", GetUser);
        manage.MapPost("/users/{id:guid}/roles", GrantRole).ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        manage.MapDelete("/users/{id:guid}/roles/{role}", RevokeRole);
        manage.MapPost("/users/{id:guid}/second-factor/reset", ResetSecondFactor)
            .ProducesProblems(StatusCodes.Status409Conflict);
        manage.MapPost("/users/{id:guid}/deactivation", Deactivate).ProducesProblems(StatusCodes.Status409Conflict);

        admin.MapAdminLog();
        return app;
    }

    private static async Task<Results<Created<OrganisationView>, ProblemHttpResult>> CreateOrganisation(
        CreateOrganisationRequest request, IdentityDb db, AdminLog log, TimeProvider clock, CancellationToken token)
    {
        var name = request.Name!.Trim();
        if (await db.Organisations.AnyAsync(o => o.Name == name, token))
        {
            return Problems.Conflict($"An organisation named '{name}' exists already.");
        }

        var organisation = new Organisation
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Kind = request.Kind!.Value,
            CreatedAt = clock.GetUtcNow(),
        };
        await log.RecordAsync(organisation.Id, async () =>
        {
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync(token);
            return (
                organisation,
                (object?)new OrganisationCreated(organisation.Id, organisation.Name, organisation.Kind));
        }, token);
        return TypedResults.Created($"/api/admin/organisations/{organisation.Id}", View(organisation, []));
    }

    private static async Task<Ok<OrganisationView[]>> ListOrganisations(IdentityDb db, CancellationToken token)
    {
        var organisations = await db.Organisations.OrderBy(o => o.Name).ToListAsync(token);
        var grants = await AuditGrantsApi.GrantsAsync(db, token);
        return TypedResults.Ok(organisations.Select(o => View(o, grants[o.Id])).ToArray());
    }

    private static async Task<Results<Created<CreatedUserView>, ProblemHttpResult>> CreateUser(
        CreateUserRequest request,
        IdentityDb db,
        UserManager<Account> users,
        Enrolment enrolment,
        AdminLog log,
        TimeProvider clock,
        CancellationToken token)
    {
        var organisation = await db.Organisations.FindAsync([request.OrganisationId!.Value], token);
        if (organisation is null)
        {
            return Problems.Unprocessable(
                new Dictionary<string, string[]> { ["organisationId"] = ["No such organisation."] },
                "The account cannot be created.");
        }

        var roles = request.Roles!.Distinct().ToArray();
        if (RoleProblem(organisation, roles) is { } problem)
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            UserName = request.UserName!.Trim(),
            Email = request.Email!.Trim(),
            EmailConfirmed = true,
            OrganisationId = organisation.Id,
            CreatedAt = now,
            LockoutEnabled = true,
        };

        return await log.RecordAsync(account.Id, async () =>
        {
            var created = await users.CreateAsync(account);
            if (!created.Succeeded)
            {
                return (Refused(created, "The account cannot be created."), null);
            }

            var added = await users.AddToRolesAsync(account, roles);
            if (!added.Succeeded)
            {
                return (Refused(added, "The account cannot be created."), null);
            }

            var (link, expires) = await enrolment.StartAsync(account, now);
            Results<Created<CreatedUserView>, ProblemHttpResult> result = TypedResults.Created(
                $"/api/admin/users/{account.Id}",
                new CreatedUserView(await View(users, account), new EnrolmentView(link, expires)));
            return (result, (object?)new AccountCreated(account.Id, organisation.Id, roles));
        }, token);
    }

    private static async Task<Ok<UserView[]>> ListUsers(
        Guid? organisationId, IdentityDb db, UserManager<Account> users, CancellationToken token)
    {
        var accounts = await db.Users.Where(u => organisationId == null || u.OrganisationId == organisationId)
            .OrderBy(u => u.UserName).Take(1000).ToListAsync(token);
        var views = new List<UserView>(accounts.Count);
        foreach (var account in accounts)
        {
            views.Add(await View(users, account));
        }

        return TypedResults.Ok(views.ToArray());
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetUser(Guid id, UserManager<Account> users) =>
        await users.FindByIdAsync(id.ToString()) is { } account
            ? TypedResults.Ok(await View(users, account))
            : Problems.NotFound("The account");

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GrantRole(
        Guid id, RoleRequest request, IdentityDb db, UserManager<Account> users, AdminLog log, CancellationToken token)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } account)
        {
            return Problems.NotFound("The account");
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == account.OrganisationId, token);
        if (RoleProblem(organisation, [request.Role!], "role") is { } problem)
        {
            return problem;
        }

        if (await users.IsInRoleAsync(account, request.Role!))
        {
            return TypedResults.Ok(await View(users, account)); // already held: nothing to record
        }

        return await log.RecordAsync(account.Id, async () =>
        {
            await users.AddToRoleAsync(account, request.Role!);
            await users.UpdateSecurityStampAsync(account);
            return (
                (Results<Ok<UserView>, ProblemHttpResult>)TypedResults.Ok(await View(users, account)),
                (object?)new RoleGranted(account.Id, request.Role!));
        }, token);
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> RevokeRole(
        Guid id, string role, UserManager<Account> users, AdminLog log, CancellationToken token)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } account)
        {
            return Problems.NotFound("The account");
        }

        // A role that does not exist is not in the path of anything: refused rather than "revoked".
        if (!Roles.All.Contains(role))
        {
            return Problems.NotFound("The role");
        }

        if (!await users.IsInRoleAsync(account, role))
        {
            return TypedResults.Ok(await View(users, account));
        }

        return await log.RecordAsync(account.Id, async () =>
        {
            await users.RemoveFromRoleAsync(account, role);
            await users.UpdateSecurityStampAsync(account);
            return (
                (Results<Ok<UserView>, ProblemHttpResult>)TypedResults.Ok(await View(users, account)),
                (object?)new RoleRevoked(account.Id, role));
        }, token);
    }

    /// <summary>
    /// The authenticator and password are cleared, sessions and refresh tokens end, and a new enrolment link
    /// is issued.
    /// </summary>
    private static async Task<Results<Ok<EnrolmentView>, ProblemHttpResult>> ResetSecondFactor(
        Guid id,
        UserManager<Account> users,
        Enrolment enrolment,
        IOpenIddictTokenManager tokens,
        AdminLog log,
        TimeProvider clock,
        CancellationToken token)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } account)
        {
            return Problems.NotFound("The account");
        }

        if (!account.IsActive)
        {
            return Problems.Conflict("The account is deactivated.");
        }

        return await log.RecordAsync(account.Id, async () =>
        {
            await users.SetTwoFactorEnabledAsync(account, false);
            await users.RemovePasswordAsync(account);
            await RevokeTokensAsync(tokens, account, token);
            var (link, expires) = await enrolment.StartAsync(account, clock.GetUtcNow());
            return (
                (Results<Ok<EnrolmentView>, ProblemHttpResult>)TypedResults.Ok(new EnrolmentView(link, expires)),
                (object?)new SecondFactorReset(account.Id));
        }, token);
    }

    /// <summary>
    /// Refresh tokens are revoked at once; an access token already issued dies within its lifetime
    /// (10 minutes at most).
    /// </summary>
    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> Deactivate(
        Guid id,
        UserManager<Account> users,
        IOpenIddictTokenManager tokens,
        AdminLog log,
        TimeProvider clock,
        CancellationToken token)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } account)
        {
            return Problems.NotFound("The account");
        }

        if (!account.IsActive)
        {
            return Problems.Conflict("The account is deactivated already.");
        }

        return await log.RecordAsync(account.Id, async () =>
        {
            account.DeactivatedAt = clock.GetUtcNow();
            await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(account);
            var revoked = await RevokeTokensAsync(tokens, account, token);
            return (
                (Results<Ok<UserView>, ProblemHttpResult>)TypedResults.Ok(await View(users, account)),
                (object?)new AccountDeactivated(account.Id, revoked));
        }, token);
    }

    private static async Task<int> RevokeTokensAsync(
        IOpenIddictTokenManager tokens, Account account, CancellationToken token)
    {
        var revoked = 0;
        await foreach (var issued in tokens.FindBySubjectAsync(account.Id.ToString(), token))
        {
            if (await tokens.TryRevokeAsync(issued, token))
            {
                revoked++;
            }
        }

        return revoked;
    }

    /// <summary>
    /// Refused roles are named only when they are roles at all: a problem never quotes an arbitrary value sent.
    /// </summary>
    private static ProblemHttpResult? RoleProblem(
        Organisation organisation, IReadOnlyCollection<string> roles, string field = "roles")
    {
        var allowed = Organisation.RolesFor(organisation.Kind);
        var refused = roles
            .Where(r => !allowed.Contains(r))
            .Select(r => Roles.All.Contains(r) ? r : "an unknown role")
            .Distinct()
            .ToArray();
        var kind = organisation.Kind.ToString().ToLowerInvariant();
        return refused.Length == 0
            ? null
            : Problems.Unprocessable(
                new Dictionary<string, string[]>
                {
                    [field] =
                    [
                        $"A {kind} organisation's people may hold only: {string.Join(", ", allowed)} "
                        + $"(refused: {string.Join(", ", refused)}).",
                    ],
                },
                "The role cannot be given.");
    }

    private static ProblemHttpResult Refused(IdentityResult result, string title)
    {
        var errors = result.Errors
            .GroupBy(e => e.Code.Contains("Email", StringComparison.Ordinal) ? "email"
                : e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName"
                : "request")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        return result.Errors.Any(e => e.Code.StartsWith("Duplicate", StringComparison.Ordinal))
            ? Problems.Conflict(title, new Dictionary<string, object?> { ["errors"] = errors })
            : Problems.Unprocessable(errors, title);
    }

    internal static OrganisationView View(Organisation o, IEnumerable<Guid> audits) =>
        new(o.Id, o.Name, o.Kind, o.CreatedAt, [.. Organisation.RolesFor(o.Kind)], [.. audits.Order()]);

    private static async Task<UserView> View(UserManager<Account> users, Account a) => new(
        a.Id, a.UserName!, a.Email, a.OrganisationId, [.. await users.GetRolesAsync(a)],
        a.TwoFactorEnabled, a.IsActive, a.CreatedAt, a.DeactivatedAt);
}
