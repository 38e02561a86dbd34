using System.Security.Claims;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.Triage.Cases;

/// <summary>Who may change a case.</summary>
public enum Actor
{
    /// <summary>A supervisor, or the case's responsible officer (<see cref="CaseworkerRule"/>).</summary>
    Caseworker,

    Supervisor,
}

/// <summary>
/// The owner organisation's officers see and act on the cases they are responsible for (assigned, or
/// opened and not yet assigned), its supervisors on all of them. Partners' staff and the owner's auditors
/// read triage with the staff texts withheld and change nothing. To anyone else (standing
/// <see cref="CaseStanding.None"/>) the case does not exist: 404, before any other refusal.
/// </summary>
public static class CaseAccess
{
    public const string What = "The case";

    public static bool IsSupervisor(ClaimsPrincipal user) => user.IsInRole(Roles.Supervisor);

    /// <summary>The caseworker rule on triage's copy: the owner's supervisors and the responsible officer.</summary>
    public static bool IsCaseworker(ClaimsPrincipal user, TriageCase @case, CaseHolding holding) =>
        CaseworkerRule.IsCaseworker(user, holding.Owner, @case.ResponsibleOfficer);

    /// <summary>
    /// Partners' officers and supervisors, and auditors of the owner: they read triage with its free text
    /// (sealed) withheld, and change nothing.
    /// </summary>
    public static bool ReadsWithheld(ClaimsPrincipal user, CaseHolding holding) =>
        holding.StandingOf(user) == CaseStanding.Partner
        || (holding.Owner is { } owner && user.AuditedOrganisations().Contains(owner));

    /// <summary>Why <paramref name="user"/> may not read the case, or null when they may.</summary>
    public static Refusal? Read(ClaimsPrincipal user, TriageCase @case, CaseHolding holding) =>
        holding.StandingOf(user) == CaseStanding.None ? Refusal.NotFound(What)
        : IsCaseworker(user, @case, holding) || ReadsWithheld(user, holding) ? null
        : Refusal.Forbidden("This case is not assigned to you.");

    /// <summary>
    /// Why <paramref name="user"/> may not change the case as <paramref name="actor"/>, or null when
    /// they may: only the owner's staff, by the caseworker rule.
    /// </summary>
    public static Refusal? Change(ClaimsPrincipal user, TriageCase @case, CaseHolding holding, Actor actor) =>
        holding.StandingOf(user) switch
        {
            CaseStanding.None => Refusal.NotFound(What),
            not CaseStanding.Owner => Refusal.Forbidden("Only the organisation that owns the case can change it."),
            _ => actor switch
            {
                Actor.Supervisor when !IsSupervisor(user) => Refusal.Forbidden("Only a supervisor can do this."),
                Actor.Caseworker when !IsCaseworker(user, @case, holding) =>
                    Refusal.Forbidden("This case is not assigned to you."),
                _ => null,
            },
        };
}
