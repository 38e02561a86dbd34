using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.Intake.PersonalData;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.ServiceDefaults.Http;

namespace Protection.Intake.Cases.Reading;

/// <summary>Whether the reader sees the defender's personal data, and if not, why.</summary>
public enum PersonalDataVisibility
{
    Visible,
    WithheldForRole,
    Erased,
}

/// <summary>As whom the reader reads the case file (<see cref="OrganisationRule"/>).</summary>
public enum CaseReader
{
    /// <summary>The owner's officer responsible for it or a supervisor of the owner: everything, and acts.</summary>
    Caseworker,

    /// <summary>Staff of the owner who are not its caseworkers.</summary>
    Owner,

    /// <summary>Staff of an organisation the case is shared with: read only, personal data if consented.</summary>
    Partner,

    /// <summary>An auditor of the owner: no personal data.</summary>
    Auditor,
}

/// <summary>
/// A referral of the case. Its reason (and the reason it was declined) only for the owner's caseworkers,
/// "[erased]" once the case's key is destroyed; null to everyone else.
/// </summary>
public sealed record ReferralView(
    Guid Id,
    string ToOrganisation,
    string FromOrganisation,
    ReferralKind Kind,
    ReferralStatus Status,
    string? Reason,
    bool SharePersonalData,
    string ReferredBy,
    DateTimeOffset ReferredAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DeclineReason);

public sealed record CaseFileResponse(
    Guid Id,
    string Reference,
    CaseStatus Status,
    CaseStage Stage,
    string Country,
    string? Region,
    int PeopleAtRisk,
    ConsentScopes Consent,
    PersonalDataVisibility PersonalData,
    DefenderDetails? Defender,
    IReadOnlyList<ThreatView> Threats,
    RiskLevel? Risk,
    string? AssignedTo,
    DateTimeOffset? TriageDueAt,
    bool TriageOverdue,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastChangedAt,
    long Version,
    DateTimeOffset? AsOf,
    string? Organisation,
    IReadOnlyList<CasePartner> Partners,
    CaseReader ReadAs,
    IReadOnlyList<ReferralView> Referrals);

public sealed record ThreatView(
    Guid ThreatId,
    ThreatType Type,
    PerpetratorCategory Perpetrator,
    DateOnly OccurredOn,
    string Country,
    string? Region,
    string? Description,
    string? ExactLocation);

public static class GetCaseFile
{
    /// <summary>
    /// <c>GET /api/cases/{id}</c>: the case file, intake's own record of the case with what it learned
    /// from the other services. The case's officer and supervisors see personal data; auditors see
    /// the same file with it withheld; other officers are refused. The ETag is the case stream's
    /// version, which only intake's own decisions move.
    /// </summary>
    /// <remarks>
    /// <c>?asOf=</c> shows the file as it was then: the case folded from its events up to that moment,
    /// with the facts intake had learned by then; who may read it is decided on the case as it is now.
    /// </remarks>
    public static async Task<Results<Ok<CaseFileResponse>, NotFoundProblem, ForbiddenProblem, UnprocessableProblem>>
        Handle(
            Guid id,
            string? asOf,
            HttpContext http,
            IQuerySession session,
            PersonalDataVault vault,
            TimeProvider clock,
            CancellationToken cancellationToken)
    {
        if (!AuditWire.TryReadMoment(asOf, out var moment))
        {
            return new UnprocessableProblem(AuditWire.BadMoment());
        }

        var batch = session.CreateBatchQuery();
        var loadCase = batch.Load<Case>(id);
        var loadProgress = batch.Load<CaseProgress>(id);
        await batch.Execute(cancellationToken);
        if (await loadCase is not { } current)
        {
            return NotFoundProblem.For("The case");
        }

        var progress = await loadProgress ?? CaseProgress.Of(id);
        var caseworker = CaseAccess.IsCaseworker(http.User, current, progress.Now);
        var standing = CaseAccess.StandingOf(http.User, current);
        if (!caseworker && standing == CaseStanding.None)
        {
            return NotFoundProblem.For("The case");
        }

        if (!caseworker && !CaseAccess.MayReadWithoutPersonalData(http.User, current))
        {
            return ForbiddenProblem.Because("This case is not assigned to you.");
        }

        var @case = moment is { } then
            ? await session.Events.AggregateStreamAsync<Case>(id, timestamp: then, token: cancellationToken)
            : current;
        if (@case is null)
        {
            return NotFoundProblem.For("The case (it was not open yet at that moment)");
        }

        var learned = progress.AsOf(moment);

        // A partner reads personal data only when the referral that shared the case carried the consent.
        var seesPersonalData = caseworker
            || (standing == CaseStanding.Partner
                && OrganisationRule.PartnerOf(http.User, current.Partners) is { SeesPersonalData: true });
        var dataKey = seesPersonalData ? await DataKey(session, vault, id, cancellationToken) : null;
        var defender = dataKey is null ? null : vault.Open<DefenderDetails>(dataKey, id, @case.Defender);
        var visibility = (seesPersonalData, dataKey) switch
        {
            (false, _) => PersonalDataVisibility.WithheldForRole,
            (true, null) => PersonalDataVisibility.Erased,
            _ => PersonalDataVisibility.Visible,
        };

        http.Response.Headers.ETag = $"\"{@case.Version}\"";
        return TypedResults.Ok(new CaseFileResponse(
            @case.Id,
            @case.Reference,
            learned.Status,
            learned.Stage,
            @case.Country,
            defender?.Region,
            @case.PeopleAtRisk,
            @case.Consent.Scopes,
            visibility,
            defender,
            @case.Threats
                .Select(t => View(t, dataKey is null ? null : vault.Open<ThreatDetails>(dataKey, id, t.Details)))
                .ToArray(),
            learned.Risk,
            learned.AssignedTo,
            learned.TriageDueAt,
            learned.TriageDueAt <= (moment ?? clock.GetUtcNow()),
            @case.OpenedBy,
            @case.OpenedAt,
            @case.LastChangedAt,
            @case.Version,
            moment,
            @case.Organisation,
            @case.Partners,
            caseworker ? CaseReader.Caseworker
                : standing switch
                {
                    CaseStanding.Owner => CaseReader.Owner,
                    CaseStanding.Partner => CaseReader.Partner,
                    _ => CaseReader.Auditor,
                },
            @case.Referrals
                .Select(r => View(r, caseworker ? Seal(vault, id, dataKey) : null, caseworker))
                .ToArray()));
    }

    private static CaseSeal? Seal(PersonalDataVault vault, Guid id, byte[]? dataKey) =>
        dataKey is null ? null : new CaseSeal(vault, id, dataKey);

    private static ReferralView View(Referral referral, CaseSeal? seal, bool caseworker) => new(
        referral.Id,
        referral.ToOrganisation,
        referral.FromOrganisation,
        referral.Kind,
        referral.Status,
        caseworker ? CaseKeys.Text(seal, referral.Reason) : null,
        referral.SharePersonalData,
        referral.ReferredBy,
        referral.ReferredAt,
        referral.DecidedBy,
        referral.DecidedAt,
        caseworker ? CaseKeys.Text(seal, referral.DeclineReason) : null);

    private static async Task<byte[]?> DataKey(
        IQuerySession session, PersonalDataVault vault, Guid id, CancellationToken cancellationToken)
    {
        var stored = await session.LoadAsync<CaseKey>(id, cancellationToken);
        try
        {
            return stored is null ? null : vault.Unwrap(stored);
        }
        catch (CryptographicException)
        {
            // A key that does not unwrap under the current master key reads as erased, never as a 500 with details.
            return null;
        }
    }

    private static ThreatView View(RecordedThreat threat, ThreatDetails? details) => new(
        threat.ThreatId,
        threat.Type,
        threat.Perpetrator,
        threat.OccurredOn,
        threat.Country,
        details?.Region,
        details?.Description,
        details?.ExactLocation);
}
