using System.Security.Claims;
using Marten;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;

namespace Protection.EmergencyAssistance.Grants;

/// <summary>
/// What a reader sees of a grant besides its money and status: the case's facts (country, risk, threat types)
/// and the sealed texts (purpose, rejection reason, report). What is not seen reads null.
/// </summary>
public sealed record GrantSight(bool SeesCaseFacts, bool ReadsTexts)
{
    public static readonly GrantSight Full = new(true, true);

    /// <summary>The case's facts without its texts: an owner's officer who is not its caseworker, a partner.</summary>
    public static readonly GrantSight FactsOnly = new(true, false);

    /// <summary>Money and status only: a foreign fund's funders once the defender withdrew consent.</summary>
    public static readonly GrantSight Withheld = new(false, false);
}

/// <summary>
/// Who may do what with grants, in one place. The role policies of the routes come first; these rules decide
/// on the case (its owner and partners, read from <see cref="CaseRecord"/> at each check, never frozen) and on
/// the organisation of the fund a grant draws on. Standing None is 404: another organisation's case, grant or
/// fund is never confirmed to exist; a same-organisation user the rule refuses gets 403.
/// </summary>
public static class GrantAccess
{
    public const string NotYourCase = "This case is not assigned to you.";

    public const string NotYourGrant = "This grant is not one of your cases'.";

    public const string ConsentField = "consent.shareWithFunders";

    private const string Schema = AssistanceModule.ServiceName;

    /// <summary>
    /// Requests grants for a case: its owner's caseworkers (supervisors, the responsible officer). A partner reads
    /// the case but never acts on it (403); anyone else does not know it (404).
    /// </summary>
    public static Refusal? RefusesCaseworker(ClaimsPrincipal user, CaseRecord @case) =>
        @case.IsCaseworker(user) ? null
        : @case.StandingOf(user) is CaseStanding.Owner or CaseStanding.Partner ? Refusal.Forbidden(NotYourCase)
        : Refusal.NotFound("The case");

    /// <summary>
    /// Reads a case's grants: its owner's caseworkers in full; a partner's officers and supervisors read only,
    /// the texts only when the referral's consent let the partner see personal data; the owner's other officers
    /// 403; anyone else 404.
    /// </summary>
    public static Outcome<GrantSight> CaseSight(ClaimsPrincipal user, CaseRecord @case)
    {
        if (@case.IsCaseworker(user))
        {
            return GrantSight.Full;
        }

        return @case.StandingOf(user) switch
        {
            CaseStanding.Owner => Refusal.Forbidden(NotYourCase),
            CaseStanding.Partner => OrganisationRule.PartnerOf(user, @case.Partners)?.SeesPersonalData == true
                ? GrantSight.Full
                : GrantSight.FactsOnly,
            _ => Refusal.NotFound("The case"),
        };
    }

    /// <summary>
    /// Reads one grant. The funders of the organisation of the fund it draws on (<paramref name="fundOrganisation"/>):
    /// in full while the consent covers them (see <see cref="ConsentCovers"/>), money and status only once it was
    /// withdrawn. The case's owner caseworkers in full; the officer who requested it, within the owner, without
    /// texts; a partner as <see cref="CaseSight"/>. Texts are read by the owner's caseworkers and the fund's
    /// funders, and by a partner only with the referral's consent to personal data. Anyone else: 404.
    /// </summary>
    public static Outcome<GrantSight> SightOf(
        ClaimsPrincipal user, Grant grant, string? fundOrganisation, CaseRecord? @case)
    {
        if (@case is null)
        {
            return Refusal.NotFound("The grant");
        }

        if (FundAccess.IsFunderOf(user, fundOrganisation) && !@case.IsCaseworker(user))
        {
            return ConsentCovers(@case, fundOrganisation) ? GrantSight.Full : GrantSight.Withheld;
        }

        var onCase = CaseSight(user, @case);
        if (onCase.Refusal is { Kind: RefusalKind.Forbidden } && IsRequester(user, grant))
        {
            return GrantSight.FactsOnly;
        }

        return onCase.Refusal is { Kind: RefusalKind.NotFound } ? Refusal.NotFound("The grant")
            : onCase.Refusal is not null ? Refusal.Forbidden(NotYourGrant)
            : onCase;
    }

    /// <summary>
    /// Whether the consent in force lets the funders of <paramref name="fundOrganisation"/> see the case: always
    /// for the case's own organisation's funds, for another's only with <c>ShareWithFunders</c>.
    /// </summary>
    public static bool ConsentCovers(CaseRecord @case, string? fundOrganisation) =>
        (!string.IsNullOrEmpty(fundOrganisation) && fundOrganisation == @case.Organisation)
        || @case.Consent?.ShareWithFunders == true;

    /// <summary>
    /// A request on another organisation's fund, or a decision on a grant drawn on one, without the defender's
    /// consent to share with funders: 422 naming <see cref="ConsentField"/>.
    /// </summary>
    public static Refusal? RefusesWithoutConsent(CaseRecord? @case, string? fundOrganisation, string title) =>
        @case is null || ConsentCovers(@case, fundOrganisation)
            ? null
            : Refusal.Invalid(
                ConsentField,
                "The fund belongs to another organisation and the defender has not consented to share the case "
                + "with funders.",
                title);

    /// <summary>
    /// Reports on and withdraws a grant: the case's owner caseworkers, and the officer who requested it while
    /// they are staff of the owner. The owner's other staff and partners 403; anyone else 404.
    /// </summary>
    public static async Task<Refusal?> RefusesActorAsync(
        IQuerySession session, ClaimsPrincipal user, Grant grant, CancellationToken cancellationToken)
    {
        var @case = await session.LoadAsync<CaseRecord>(grant.CaseId, cancellationToken);
        if (@case is null)
        {
            return Refusal.NotFound("The grant");
        }

        if (@case.IsCaseworker(user) || (IsRequester(user, grant) && @case.StandingOf(user) == CaseStanding.Owner))
        {
            return null;
        }

        return @case.StandingOf(user) is CaseStanding.Owner or CaseStanding.Partner
            ? Refusal.Forbidden(NotYourGrant)
            : Refusal.NotFound("The grant");
    }

    /// <summary>Decides on and pays a grant: the funders of its fund's organisation; to any other, 404.</summary>
    public static async Task<Refusal?> RefusesFunderAsync(
        IQuerySession session, ClaimsPrincipal user, Grant grant, CancellationToken cancellationToken) =>
        FundAccess.IsFunderOf(user, await FundOrganisationAsync(session, grant, cancellationToken))
            ? null
            : Refusal.NotFound("The grant");

    /// <summary>The grant's fund's organisation: as recorded with the request, or (older streams) the fund's.</summary>
    public static async Task<string?> FundOrganisationAsync(
        IQuerySession session, Grant grant, CancellationToken cancellationToken) =>
        grant.FundOrganisation
        ?? (await session.LoadAsync<Fund>(grant.FundId, cancellationToken))?.Organisation;

    /// <summary>
    /// Which grants <c>GET /api/grants</c> lists to <paramref name="user"/>, as one SQL condition on the grants
    /// table (<c>d</c>) and its parameters: a funder those drawn on their organisation's funds (the fund's
    /// organisation as recorded with the request, or for older streams the fund's); a supervisor those of their
    /// organisation's cases; an officer those they requested on their organisation's cases. The case's owner is
    /// read from its <see cref="CaseRecord"/> as it is now. Several roles list the union; no organisation, none.
    /// </summary>
    public static (string Sql, object[] Parameters) ListedFor(ClaimsPrincipal user)
    {
        if (user.OrganisationId() is not { Length: > 0 } organisation)
        {
            return ("false", []);
        }

        const string ownCases =
            $"d.case_id in (select c.id from {Schema}.mt_doc_caserecord c where c.organisation = ?)";
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (user.IsInRole(Roles.Funder))
        {
            conditions.Add(
                $"(d.fund_organisation = ? or (d.fund_organisation is null and d.fund_id in "
                + $"(select f.id from {Schema}.mt_doc_fund f where f.organisation = ?)))");
            parameters.AddRange([organisation, organisation]);
        }

        if (user.IsInRole(Roles.Supervisor))
        {
            conditions.Add(ownCases);
            parameters.Add(organisation);
        }
        else if (user.IsInRole(Roles.Officer))
        {
            conditions.Add($"(d.requested_by = ? and {ownCases})");
            parameters.AddRange([user.UserId(), organisation]);
        }

        return conditions.Count == 0 ? ("false", []) : ($"({string.Join(" or ", conditions)})", [.. parameters]);
    }

    /// <summary>The requester never decides on their own grant.</summary>
    public static Refusal? RefusesDecider(Grant grant, string funder) =>
        grant.RequestedBy == funder ? Refusal.Forbidden("Nobody decides on a grant they requested.") : null;

    private static bool IsRequester(ClaimsPrincipal user, Grant grant) =>
        user.IsInRole(Roles.Officer) && grant.RequestedBy == user.UserId();
}
