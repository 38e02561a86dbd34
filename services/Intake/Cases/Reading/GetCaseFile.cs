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
    DateTimeOffset? AsOf);

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
        if (!caseworker && CaseAccess.StandingOf(http.User, current) == CaseStanding.None)
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
        var dataKey = caseworker ? await DataKey(session, vault, id, cancellationToken) : null;
        var defender = dataKey is null ? null : vault.Open<DefenderDetails>(dataKey, id, @case.Defender);
        var visibility = (caseworker, dataKey) switch
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
            moment));
    }

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
