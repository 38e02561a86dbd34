using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Intake.Cases.Opening;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Decisions;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;

namespace Protection.Intake.Cases.ReportingThreats;

public sealed record ThreatReportedResponse(Guid CaseId, Guid ThreatId, long Version) : IVersioned;

public static class ReportThreat
{
    private const string Title = "The threat cannot be recorded.";

    private const string Erased = "The case's personal data was erased; new personal data cannot be added to it.";

    /// <summary>Rules beyond the request's shape: the threat's own, and a case that can still take one.</summary>
    /// <param name="learned">What intake learned of the case: triage may have closed it.</param>
    public static Refusal? Decide(Case @case, Learned learned, ThreatInput threat, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        ThreatRules.Check(threat, field: "", now, errors);
        if (learned.Status == CaseStatus.Closed)
        {
            errors["id"] = ["The case is closed. Re-open it before reporting a new threat."];
        }

        if (@case.ErasedAt is not null)
        {
            errors["id"] = [Erased];
        }

        return errors.Count > 0 ? Refusal.Invalid(errors, Title) : null;
    }

    /// <summary>
    /// <c>POST /api/cases/{id}/threats</c>: records a new threat on an open case, at the version the
    /// caller read (<c>If-Match</c>) or, without it, the version just loaded.
    /// </summary>
    public static async Task<Results<Created<ThreatReportedResponse>, NotFoundProblem, ForbiddenProblem,
        ConflictProblem, UnprocessableProblem>> Handle(
        Guid id,
        ThreatInput threat,
        HttpContext http,
        IDocumentStore store,
        PersonalDataVault vault,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // Loaded when authorizing, decided on in the same attempt.
        var learned = CaseProgress.Of(id).Now;
        return Answers.Created(http, await CommandPath.RunAsync<Case, ThreatReportedResponse>(
            store,
            id,
            Problems.IfMatchVersion(http.Request),
            "The case",
            async (session, @case) =>
            {
                learned = (await session.LoadAsync<CaseProgress>(id, cancellationToken) ?? CaseProgress.Of(id)).Now;
                return CaseAccess.MayAct(
                    http.User, @case, learned, "Only the case's officer or a supervisor can report threats on it.");
            },
            async (session, stream) =>
            {
                var now = clock.GetUtcNow();
                if (Decide(stream.Aggregate!, learned, threat, now) is { } refused)
                {
                    return refused;
                }

                var stored = await session.LoadAsync<CaseKey>(id, cancellationToken);
                if (stored is null)
                {
                    return Refusal.Invalid("id", Erased, Title);
                }

                var recorded = OpenCase.Record(vault, vault.Unwrap(stored), id, threat);
                StreamChanges.Append(session, stream, [new ThreatRecorded(id, recorded, http.User.UserId(), now)], now);
                return new ThreatReportedResponse(id, recorded.ThreatId, stream.CurrentVersion ?? 0);
            },
            cancellationToken), r => $"/api/cases/{r.CaseId}");
    }
}
