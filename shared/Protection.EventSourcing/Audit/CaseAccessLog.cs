using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Protection.ServiceDefaults.Http;

using Protection.EventSourcing;
using Protection.ServiceDefaults.Audit;

namespace Protection.EventSourcing.Audit;

/// <summary>
/// One read of a case, as its access log stores it (reader = pseudonymous user id, role = the reader's
/// roles).
/// </summary>
public sealed record CaseRead(Guid CaseId, string What, string Reader, string Role, int Status, DateTimeOffset At);

/// <summary>
/// Every read of a case in this service, appended to the case's access-log stream in the service's
/// own store. The stream is hash-chained like every other stream, so removing or changing a read
/// breaks the chain that <c>/verify</c> recomputes. There is no setting that turns it off: the
/// endpoints that read a case carry <see cref="AccessLogEndpoints.RecordsCaseRead{TBuilder}"/>, and
/// a read that cannot be recorded is refused (fail closed).
/// </summary>
public sealed class CaseAccessLog(IDocumentStore store, TimeProvider clock)
{
    private const int Attempts = 10;
    private readonly StripedLocks _locks = new();

    /// <summary>
    /// The access-log stream of a case: a name-based id derived from the case id (stable, never a case's
    /// own stream).
    /// </summary>
    public static Guid StreamOf(Guid caseId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"protection:access-log:{caseId:D}"), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (custom), in Guid's little-endian layout
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    public async Task RecordAsync(Guid caseId, string what, int status, CancellationToken cancellationToken)
    {
        var context = OperationContext.Current
            ?? throw new InvalidOperationException("A case read outside a request cannot be attributed.");
        var read = new CaseRead(caseId, what, context.Actor, context.ActorRole, status, clock.GetUtcNow());

        // Reads of one case take turns in this process; another replica's read in between is a version
        // conflict (the chain must not fork), and the append is simply tried again on the new end.
        await _locks.RunAsync(caseId, async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var session = store.LightweightSession();
                session.Events.Append(StreamOf(caseId), read);
                try
                {
                    await session.SaveChangesAsync(cancellationToken);
                    return true;
                }
                catch (Exception e) when (attempt < Attempts && IsRace(e))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt), cancellationToken);
                }
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Another replica appended first: a newer version (concurrency), or, for a case's very first read,
    /// the same new stream row (a unique violation on the stream's key).
    /// </summary>
    private static bool IsRace(Exception e) => e is ConcurrencyException or ExistingStreamIdCollisionException
        || e is MartenCommandException
        {
            InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation },
        };

    public async Task<IReadOnlyList<AccessEntry>> ReadAsync(
        IQuerySession session, string service, Guid caseId, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(StreamOf(caseId), token: cancellationToken);
        return events
            .Select(e => (e, read: e.Data as CaseRead))
            .Where(x => x.read is not null)
            .Select(x => new AccessEntry(
                x.read!.At, service, x.read.Reader, x.read.Role, x.read.What, x.read.Status, x.e.CorrelationId))
            .ToArray();
    }
}

public static partial class AccessLogEndpoints
{
    private const string CaseIdItem = "protection.case-read.case-id";
    private const string WhatItem = "protection.case-read.what";

    /// <summary>
    /// Tells the access log which case this request read (for routes whose <c>{id}</c> is a grant or a
    /// relocation) and, optionally, what it was.
    /// </summary>
    public static void ReadsCase(this HttpContext http, Guid caseId, string? what = null)
    {
        http.Items[CaseIdItem] = caseId;
        if (what is not null)
        {
            http.Items[WhatItem] = what;
        }
    }

    /// <summary>
    /// Records every answer of this endpoint about a case in the case's access log, refusals (403)
    /// included, before the answer is sent. The case is the one the handler named with
    /// <see cref="ReadsCase"/>, else the route's <c>{id}</c> when <paramref name="routeIdIsCase"/>.
    /// A request for an unknown case (404) has no case to log against.
    /// </summary>
    public static TBuilder RecordsCaseRead<TBuilder>(this TBuilder builder, string what, bool routeIdIsCase = true)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status503ServiceUnavailable).AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            var caseId = http.Items[CaseIdItem] as Guid?;
            if (caseId is null && routeIdIsCase && Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var routeId))
            {
                caseId = routeId;
            }

            var status = StatusOf(result);
            if (caseId is null || status == StatusCodes.Status404NotFound)
            {
                return result;
            }

            try
            {
                await http.RequestServices.GetRequiredService<CaseAccessLog>()
                    .RecordAsync(caseId.Value, http.Items[WhatItem] as string ?? what, status, http.RequestAborted);
                return result;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                NotRecorded(http.RequestServices.GetRequiredService<ILogger<CaseAccessLog>>(), e, caseId.Value);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "This read could not be recorded in the case's access log, so it was refused. "
                        + "Try again in a moment; if it persists, check the service's database.");
            }
        });

    private static int StatusOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
    }

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "A read of case {CaseId} could not be recorded in its access log; the read was refused")]
    private static partial void NotRecorded(ILogger logger, Exception exception, Guid caseId);
}
