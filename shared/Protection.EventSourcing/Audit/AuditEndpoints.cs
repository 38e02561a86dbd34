using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;
using Protection.ServiceDefaults.Http;
using Protection.EventSourcing.PersonalData;
using Protection.ServiceDefaults.Audit;

namespace Protection.EventSourcing.Audit;

/// <summary>
/// The service's part of a case's audit, under <c>/audit/cases/{id}</c>: its history (and the case
/// view as of a moment), its hash chains recomputed, and its access log. The gateway composes the
/// four services' parts into <c>/api/cases/{id}/history</c>, <c>/verify</c>, <c>/access-log</c> and
/// <c>/export</c>. Each of these reads is itself recorded in the case's access log.
/// </summary>
public static class AuditEndpoints
{
    public static IHostApplicationBuilder AddCaseAudit<TSource>(this IHostApplicationBuilder builder)
        where TSource : class, ICaseAuditSource
    {
        builder.Services.AddSingleton<ICaseAuditSource, TSource>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCaseAudit(this IEndpointRouteBuilder app, string service)
    {
        // Internal: only the gateway calls these (it publishes their composition under /api/cases/{id}/…),
        // so they are not in the published documents.
        var audit = app.MapGroup("/audit/cases/{id:guid}").WithTags("Audit").ExcludeFromDescription();

        audit.MapGet("/history", (
                    Guid id,
                    string? asOf,
                    bool? details,
                    string? after,
                    string? limit,
                    HttpContext http,
                    IQuerySession session,
                    ICaseAuditSource source,
                    CancellationToken ct) =>
                History(service, id, asOf, details == true, after, limit, http, session, source, ct))
            .RequireAuthorization(Policies.HistoryReader)
            .RecordsCaseRead(CaseReads.History)
            .WithName("ServiceCaseHistory")
            .WithSummary(
                "A page of this service's events of the case (optionally as of a moment), after the cursor "
                + "?after= (at most ?limit=), and, on the first page, its part of the case view then. "
                + "details=true (auditors): each event's data, sealed values withheld.");

        audit.MapGet("/verify", (
                    Guid id, HttpContext http, IQuerySession session, ICaseAuditSource source, CancellationToken ct) =>
                Verify(service, id, http, session, source, ct))
            .RequireAuthorization(Policies.Auditor)
            .RecordsCaseRead(CaseReads.Verification)
            .WithName("ServiceCaseVerification")
            .WithSummary(
                "Recomputes the hash chain of every stream of this service that holds the case, "
                + "and of its access log.");

        audit.MapGet("/access-log", (
                    Guid id,
                    HttpContext http,
                    IQuerySession session,
                    ICaseAuditSource source,
                    CaseAccessLog log,
                    CancellationToken ct) =>
                AccessLog(service, id, http, session, source, log, ct))
            .RequireAuthorization(Policies.Auditor)
            .RecordsCaseRead(CaseReads.AccessLog)
            .WithName("ServiceCaseAccessLog")
            .WithSummary("Every read of the case in this service: who, roles, when, what, and the answer's status.");

        return app;
    }

    private static async Task<Results<Ok<ServiceHistory>, ProblemHttpResult>> History(
        string service,
        Guid id,
        string? asOfText,
        bool details,
        string? after,
        string? limit,
        HttpContext http,
        IQuerySession session,
        ICaseAuditSource source,
        CancellationToken ct)
    {
        if (!AuditWire.TryReadMoment(asOfText, out var asOf))
        {
            return AuditWire.BadMoment();
        }

        if (!HistoryPage.TryRead(after, limit, out var page, out var badPage))
        {
            return badPage;
        }

        // Whether the case exists for the reader is answered first (404), what their role may do after (403).
        if (await ReachAsync(http, id, history: true, session, source, ct) is not { Streams: var streams })
        {
            return Problems.NotFound(CaseAuditRule.What);
        }

        if (details)
        {
            if (!http.User.IsInRole(Roles.Auditor))
            {
                return Problems.Forbidden("Exports are for auditors.");
            }

            http.ReadsCase(id, CaseReads.Export);
        }

        var inHistory = streams.Where(s => s.InHistory).Select(s => s.Id).ToArray();
        var events = await PageAsync(session, service, inHistory, asOf, page with { Limit = page.Limit + 1 }, ct);
        var more = events.Count > page.Limit;
        var kinds = streams.ToDictionary(s => s.Id, s => s.Kind);
        var marker = details && await session.LoadAsync<CaseKey>(id, ct) is null ? CaseKeys.Erased : CaseKeys.Withheld;
        var serializer = session.DocumentStore.Options.Serializer();

        var entries = events.Take(page.Limit).Select(e => new HistoryEntry(
                e.Timestamp,
                service,
                e.StreamId,
                kinds.GetValueOrDefault(e.StreamId, "stream"),
                e.Version,
                e.Sequence,
                AuditText.TypeName(e),
                Header(e, EventHeaders.Actor) ?? e.UserName ?? "unknown",
                Header(e, EventHeaders.ActorRole) ?? string.Empty,
                e.CorrelationId,
                e.CausationId,
                source.Describe(e),
                Header(e, EventHeaders.Hash),
                details ? Redact(JsonNode.Parse(serializer.ToJson(e.Data)), marker) : null))
            .ToArray();

        // An export carries the events, not the view: folding every stream again would be work thrown away;
        // so would folding it again for each later page of the same timeline.
        var state = details || page.After is not null ? null : await source.StateAsync(session, id, streams, asOf, ct);
        return TypedResults.Ok(new ServiceHistory(
            service,
            id,
            asOf,
            state is null ? null : JsonSerializer.SerializeToElement(state, state.GetType(), AuditWire.Json),
            more ? HistoryCursor.Of(entries[^1]).Encode() : null,
            entries));
    }

    private static async Task<Results<Ok<ServiceVerification>, ProblemHttpResult>> Verify(
        string service, Guid id, HttpContext http, IQuerySession session, ICaseAuditSource source, CancellationToken ct)
    {
        if (await ReachAsync(http, id, history: false, session, source, ct) is not { Streams: var owned })
        {
            return Problems.NotFound(CaseAuditRule.What);
        }

        var streams = owned.Append(new AuditedStream(CaseAccessLog.StreamOf(id), "access-log", false));
        var results = new List<StreamVerification>();
        foreach (var stream in streams.DistinctBy(s => s.Id))
        {
            var checkedChain = await ChainVerifier.VerifyAsync(session, stream.Id, ct);
            results.Add(new StreamVerification(
                stream.Id,
                stream.Kind,
                checkedChain.Intact,
                checkedChain.EventsChecked,
                checkedChain.Intact
                    ? null
                    : new BrokenLink(
                        checkedChain.FirstBrokenVersion ?? 0,
                        checkedChain.FirstBrokenEventType,
                        checkedChain.Reason ?? "broken")));
        }

        return TypedResults.Ok(new ServiceVerification(service, id, results.All(r => r.Intact), results));
    }

    private static async Task<Results<Ok<ServiceAccessLog>, ProblemHttpResult>> AccessLog(
        string service,
        Guid id,
        HttpContext http,
        IQuerySession session,
        ICaseAuditSource source,
        CaseAccessLog log,
        CancellationToken ct)
    {
        if (await ReachAsync(http, id, history: false, session, source, ct) is not { } reach)
        {
            return Problems.NotFound(CaseAuditRule.What);
        }

        // A case this service has not heard of (yet) has no reads to show: the log names readers, and whether
        // this reader may see them is not known here.
        var entries = reach.Known ? await log.ReadAsync(session, service, id, ct) : [];
        return TypedResults.Ok(new ServiceAccessLog(service, id, entries));
    }

    /// <summary>
    /// This service's streams of the case, when the reader may have its part of the audit
    /// (<see cref="CaseAuditRule.MayRead"/> on the owner this service knows); null when the case does not
    /// exist for them (404). A service that does not open cases and neither knows the case's owner nor holds
    /// a stream of it has not heard of the case (or not yet): its part is empty, as for any unknown id, which
    /// says nothing of whether the case exists.
    /// </summary>
    private static async Task<Reach?> ReachAsync(
        HttpContext http, Guid id, bool history, IQuerySession session, ICaseAuditSource source, CancellationToken ct)
    {
        var streams = await source.StreamsAsync(session, id, ct);
        if (await source.OwnerAsync(session, id, ct) is { } owner)
        {
            return CaseAuditRule.MayRead(http.User, owner, history) ? new Reach(streams, Known: true) : null;
        }

        return source.OwnsCases || streams.Count > 0 ? null : new Reach(streams, Known: false);
    }

    /// <summary>The service's streams of a case the reader may audit; not <see cref="Known"/>: unheard of.</summary>
    private sealed record Reach(IReadOnlyList<AuditedStream> Streams, bool Known);

    /// <summary>
    /// The events of <paramref name="streams"/> committed up to <paramref name="asOf"/> that come after the page's
    /// cursor in the timeline's order (time, then <paramref name="service"/>, then sequence), at most the page's
    /// limit of them, in that order: the database reads only those (one query, ordered and limited there).
    /// </summary>
    public static async Task<IReadOnlyList<IEvent>> PageAsync(
        IQuerySession session,
        string service,
        Guid[] streams,
        DateTimeOffset? asOf,
        HistoryPage page,
        CancellationToken ct)
    {
        if (streams.Length == 0)
        {
            return [];
        }

        var query = session.Events.QueryAllRawEvents().Where(e => streams.Contains(e.StreamId));
        if (asOf is { } moment)
        {
            query = query.Where(e => e.Timestamp <= moment);
        }

        if (page.After is { } after)
        {
            var at = after.At;
            var sequence = after.Sequence;
            query = string.CompareOrdinal(service, after.Service) switch
            {
                < 0 => query.Where(e => e.Timestamp > at),
                > 0 => query.Where(e => e.Timestamp >= at),
                _ => query.Where(e => e.Timestamp > at || (e.Timestamp == at && e.Sequence > sequence)),
            };
        }

        return await query.OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence).Take(page.Limit).ToListAsync(ct);
    }

    /// <summary>
    /// Replaces every sealed value (an object holding only a <c>ciphertext</c>) with <paramref name="marker"/>.
    /// </summary>
    public static JsonNode? Redact(JsonNode? node, string marker)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.ContainsKey("ciphertext"):
                return JsonValue.Create(marker);
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToArray())
                {
                    var child = obj[key];
                    if (Redact(child, marker) is var redacted && !ReferenceEquals(redacted, child))
                    {
                        obj[key] = redacted; // only replacements are assigned: a node may have one parent
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    if (Redact(child, marker) is var redacted && !ReferenceEquals(redacted, child))
                    {
                        array[i] = redacted;
                    }
                }

                return array;
            default:
                return node;
        }
    }

    private static string? Header(IEvent e, string name) => e.GetHeader(name)?.ToString();
}

/// <summary>
/// Who may read a case's audit (history, verification, access log, export), in every service alike: the
/// owner organisation's supervisors (the history only, as <see cref="Policies.HistoryReader"/> says) and the
/// auditors whose audit body audits the owner. To anyone else the case does not exist.
/// </summary>
public static class CaseAuditRule
{
    /// <summary>How a refusal names what it refuses: the case is "not found".</summary>
    public const string What = "The case";

    /// <summary>
    /// Whether <paramref name="user"/> may read the audit of a case owned by <paramref name="owner"/>;
    /// <paramref name="history"/> for the history (which supervisors read too), false for the auditors' reads.
    /// </summary>
    public static bool MayRead(ClaimsPrincipal user, string? owner, bool history) =>
        !string.IsNullOrEmpty(owner)
        && ((history && user.IsInRole(Roles.Supervisor) && OrganisationRule.IsStaffOf(user, owner))
            || user.AuditedOrganisations().Contains(owner));
}
