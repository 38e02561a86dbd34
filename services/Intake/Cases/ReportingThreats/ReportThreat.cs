using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.Intake.Cases.Opening;
using Protection.Intake.PersonalData;
using Protection.ServiceDefaults.PersonalData;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.Messaging;
using Published = Protection.Contracts.Cases;

namespace Protection.Intake.Cases.ReportingThreats;

public sealed record ThreatReportedResponse(Guid CaseId, Guid ThreatId, long Version);

public static class ReportThreat
{
    /// <summary>
    /// <c>POST /api/cases/{id}/threats</c>: records a new threat on an open case. Appends at the
    /// version the caller read (<c>If-Match</c>) or, without it, the version just loaded; a
    /// concurrent change makes this a 409, never a silent overwrite.
    /// </summary>
    public static Task<Results<Created<ThreatReportedResponse>, ProblemHttpResult>> Handle(
        Guid id,
        ThreatInput threat,
        HttpContext http,
        IDocumentStore store,
        PersonalDataVault vault,
        TimeProvider clock,
        CancellationToken cancellationToken) =>
        OptimisticRetry.RunAsync(store, Problems.IfMatchVersion(http.Request) is not null, session =>
            Report(id, threat, http, session, vault, clock, cancellationToken));

    private static async Task<Results<Created<ThreatReportedResponse>, ProblemHttpResult>> Report(
        Guid id,
        ThreatInput threat,
        HttpContext http,
        IDocumentSession session,
        PersonalDataVault vault,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Case>(id, cancellationToken);
        var @case = stream.Aggregate;
        if (@case is null)
        {
            return Problems.NotFound("The case");
        }

        if (!CaseAccess.IsCaseworker(http.User, @case))
        {
            return Problems.Forbidden("Only the case's officer or a supervisor can report threats on it.");
        }

        if (Problems.IfMatchVersion(http.Request) is { } expected && expected != stream.CurrentVersion)
        {
            return Problems.StaleVersion(stream.CurrentVersion ?? 0);
        }

        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        ThreatRules.Check(threat, field: "", now, errors);
        if (@case.Status == CaseStatus.Closed)
        {
            errors["id"] = ["The case is closed. Re-open it before reporting a new threat."];
        }

        if (errors.Count > 0)
        {
            return Problems.Unprocessable(errors, "The threat cannot be recorded.");
        }

        var stored = await session.LoadAsync<CaseKey>(id, cancellationToken);
        if (stored is null)
        {
            return Problems.Unprocessable(
                new Dictionary<string, string[]> { ["id"] = ["The case's personal data was erased; new personal data cannot be added to it."] },
                "The threat cannot be recorded.");
        }

        var recorded = OpenCase.Record(vault, vault.Unwrap(stored), id, threat);
        stream.AppendOne(new ThreatReported(id, recorded, http.User.UserId(), now));
        session.PublishAfterCommit(new Published.ThreatReported(
            id, @case.Reference, OpenCase.Summary(recorded), OperationContext.Current!.ToEventMetadata(now)));
        await session.SaveChangesAsync(cancellationToken);

        var version = stream.CurrentVersion ?? 0; // already counts the appended event
        http.Response.Headers.ETag = $"\"{version}\"";
        return TypedResults.Created($"/api/cases/{id}", new ThreatReportedResponse(id, recorded.ThreatId, version));
    }
}
