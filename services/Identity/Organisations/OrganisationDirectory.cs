using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Protection.Identity.Accounts;
using Protection.ServiceDefaults.Auth;

namespace Protection.Identity.Organisations;

/// <summary>One organisation of the platform, as anyone signed in may know it: no people, no grants.</summary>
public sealed record DirectoryEntry(Guid Id, string Name, OrganisationKind Kind);

/// <summary>
/// <c>GET /api/organisations</c>: every organisation of the platform by name, for anyone signed in; the
/// console and referrals name organisations (the <c>org</c> claims, the cases' holders) with it.
/// </summary>
public static class OrganisationDirectory
{
    public static IEndpointRouteBuilder MapOrganisationDirectory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/organisations", List).RequireAuthorization(Policies.SignedIn).WithTags("Organisations");
        return app;
    }

    private static async Task<Ok<DirectoryEntry[]>> List(IdentityDb db, CancellationToken token) =>
        TypedResults.Ok(await db.Organisations.OrderBy(o => o.Name)
            .Select(o => new DirectoryEntry(o.Id, o.Name, o.Kind))
            .ToArrayAsync(token));
}
