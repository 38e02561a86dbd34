using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Finding;

/// <summary>A case found by its reference: the id to open it by, nothing else.</summary>
public sealed record FoundCase(Guid Id, string Reference);

public static class FindCase
{
    /// <summary>
    /// <c>GET /api/cases/by-reference/{reference}</c>: the case's id, for those who start from the reference an
    /// auditor or a colleague gives them. Staff of an organisation that holds the case and auditors of its owner
    /// find it; administrators find any case (they erase cases on request, by reference). To anyone else, and
    /// for a reference that names no case, 404: the answer never confirms another organisation's case.
    /// </summary>
    public static async Task<Results<Ok<FoundCase>, NotFoundProblem>> Handle(
        string reference,
        HttpContext http,
        IQuerySession session,
        CancellationToken cancellationToken)
    {
        // A reference is "PC-2026-000123": anything much longer names no case and is not worth a query.
        var wanted = reference.Trim().ToUpperInvariant();
        var found = wanted.Length is > 0 and <= 40
            ? await session.Query<Case>().Where(c => c.Reference == wanted).FirstOrDefaultAsync(cancellationToken)
            : null;
        return found is not null
            && (http.User.IsInRole(Roles.Admin) || CaseAccess.StandingOf(http.User, found) != CaseStanding.None)
            ? TypedResults.Ok(new FoundCase(found.Id, found.Reference))
            : NotFoundProblem.For("The case");
    }
}
