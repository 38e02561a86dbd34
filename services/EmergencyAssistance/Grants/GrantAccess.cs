using System.Security.Claims;
using Marten;
using Protection.EmergencyAssistance.Cases;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.EmergencyAssistance.Grants;

/// <summary>
/// Who may do what with grants, in one place: the case's officer (the shared <see cref="CaseworkerRule"/>),
/// the officer who requested a grant, funders and supervisors. The role policies of the routes come first;
/// these rules decide on the case or the grant itself.
/// </summary>
public static class GrantAccess
{
    public const string NotYourCase = "This case is not assigned to you.";

    public const string NotYourGrant = "This grant is not one of your cases'.";

    /// <summary>Funders decide and pay: the route's role policy is the whole rule.</summary>
    public static readonly Func<IDocumentSession, Grant, Task<Refusal?>> RoleSuffices =
        (_, _) => Task.FromResult<Refusal?>(null);

    /// <summary>Requests grants for a case and reads its grants: its responsible officer or a supervisor.</summary>
    public static Refusal? RefusesCaseworker(ClaimsPrincipal user, CaseRecord @case) =>
        @case.IsCaseworker(user) ? null : Refusal.Forbidden(NotYourCase);

    /// <summary>
    /// Reports on and withdraws a grant: supervisors on all, officers on the grants they requested or that
    /// belong to their cases (the case is read only when the grant is not theirs).
    /// </summary>
    public static async Task<Refusal?> RefusesActorAsync(
        IQuerySession session, ClaimsPrincipal user, Grant grant, CancellationToken cancellationToken) =>
        await MayActAsync(session, user, grant, cancellationToken) ? null : Refusal.Forbidden(NotYourGrant);

    /// <summary>Reads a grant: every funder (they decide on it), and whoever may act on it.</summary>
    public static async Task<Refusal?> RefusesReaderAsync(
        IQuerySession session, ClaimsPrincipal user, Grant grant, CancellationToken cancellationToken) =>
        user.IsInRole(Roles.Funder) || await MayActAsync(session, user, grant, cancellationToken)
            ? null
            : Refusal.Forbidden(NotYourGrant);

    /// <summary>Lists grants: funders and supervisors all of them, officers the grants they requested.</summary>
    public static string? ListsOnlyRequestedBy(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Funder) || user.IsInRole(Roles.Supervisor) ? null : user.UserId();

    /// <summary>
    /// Every funder reads a grant's purpose (they decide on it); its rejection reason and report only
    /// the funders who approved, rejected or paid it, besides the case's officer and supervisors.
    /// </summary>
    public static bool ReadsTexts(ClaimsPrincipal reader, Grant g)
    {
        if (reader.IsInRole(Roles.Officer) || reader.IsInRole(Roles.Supervisor))
        {
            return true;
        }

        var user = reader.UserId();
        return g.Approvals.Any(a => a.Funder == user)
            || g.Rejection?.Funder == user
            || g.Tranches.Any(t => t.By == user);
    }

    /// <summary>The requester never decides on their own grant.</summary>
    public static Refusal? RefusesDecider(Grant grant, string funder) =>
        grant.RequestedBy == funder ? Refusal.Forbidden("Nobody decides on a grant they requested.") : null;

    private static async Task<bool> MayActAsync(
        IQuerySession session, ClaimsPrincipal user, Grant grant, CancellationToken cancellationToken) =>
        await session.LoadAsync<CaseRecord>(grant.CaseId, cancellationToken) is { } @case
        && (@case.IsCaseworker(user)
            || (user.IsInRole(Roles.Officer) && grant.RequestedBy == user.UserId()
                && OrganisationRule.IsStaffOf(user, @case.Organisation)));
}
