using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;

namespace Protection.Identity.Admin;

public sealed record AdminEventView(
    long Sequence, Guid StreamId, long Version, string Type, object Data, DateTimeOffset Timestamp,
    string? Actor, string? CorrelationId, string? Hash);

public sealed record AdminLogVerification(
    string Verdict, int StreamsChecked, int EventsChecked, IReadOnlyList<ChainVerification> Broken);

/// <summary>
/// <c>/api/admin/log</c>: the administrative actions in order, and their hash chains recomputed
/// (administrators and auditors).
/// </summary>
public static class AdminLogApi
{
    public static RouteGroupBuilder MapAdminLog(this RouteGroupBuilder admin)
    {
        var log = admin.MapGroup("/log").RequireAuthorization(Policies.AdminLogReader);
        log.MapGet(string.Empty, ReadLog);
        log.MapGet("/verify", VerifyLog);
        return admin;
    }

    private static async Task<Ok<AdminEventView[]>> ReadLog(
        IDocumentStore store, long? after, int? limit, CancellationToken token)
    {
        await using var session = store.QuerySession();
        var take = Math.Clamp(limit ?? 500, 1, 5000);
        var from = after ?? 0;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > from)
            .OrderBy(e => e.Sequence)
            .Take(take)
            .ToListAsync(token);
        return TypedResults.Ok(events.Select(View).ToArray());
    }

    private static async Task<Ok<AdminLogVerification>> VerifyLog(IDocumentStore store, CancellationToken token)
    {
        await using var session = store.QuerySession();
        var streams = await session.Events.QueryAllRawEvents().Select(e => e.StreamId).Distinct().ToListAsync(token);
        var results = new List<ChainVerification>(streams.Count);
        foreach (var stream in streams)
        {
            results.Add(await ChainVerifier.VerifyAsync(session, stream, token));
        }

        var broken = results.Where(r => !r.Intact).ToArray();
        return TypedResults.Ok(new AdminLogVerification(
            broken.Length == 0 ? "intact" : "broken", results.Count, results.Sum(r => r.EventsChecked), broken));
    }

    private static AdminEventView View(IEvent e) => new(
        e.Sequence, e.StreamId, e.Version, e.EventTypeName, e.Data, e.Timestamp,
        e.GetHeader(EventHeaders.Actor)?.ToString(), e.CorrelationId, e.GetHeader(EventHeaders.Hash)?.ToString());
}
