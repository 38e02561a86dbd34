using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Marten;
using JasperFx;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Protection.ServiceDefaults.Auth;

using Protection.EventSourcing;
namespace Protection.EventSourcing.Http;

/// <summary>
/// The first answer to a command sent with an <c>Idempotency-Key</c>, kept for
/// <c>Idempotency:Retention</c> (24 h): a retry of the same request gets it again instead of
/// running the command twice. <see cref="Status"/> is null while the first request is still running.
/// </summary>
/// <param name="Id">A hash of the caller, the method, the path and the key (the key itself is not kept).</param>
public sealed record IdempotentAnswer(
    string Id,
    string BodyHash,
    DateTimeOffset StartedAt,
    DateTimeOffset ExpiresAt,
    int? Status = null,
    string? ContentType = null,
    string? Location = null,
    string? ETag = null,
    string? Body = null);

/// <summary>
/// <c>Idempotency-Key</c> on every <c>POST</c> under <c>/api/</c> (the IETF httpapi draft's header):
/// the same key with the same body, by the same caller on the same path, answers the first answer
/// (status, body, <c>Location</c>, <c>ETag</c>, plus <c>Idempotent-Replayed: true</c>) for 24 hours;
/// with another body it is <c>422</c>; while the first is still running, <c>409</c> with
/// <c>Retry-After</c>. An answer of 5xx is not kept (nothing was done, or it must not be repeated as
/// if it were): the key may be used again at once. Without the header nothing changes.
/// </summary>
/// <remarks>
/// The answer is kept after the command's own transaction. Should the process die between the two,
/// the claim stays unanswered; after <see cref="AbandonedAfter"/> a retry runs the command again and
/// gets the command's own answer (e.g. <c>409</c> "already approved"), never a second effect:
/// every command is also guarded by its stream version.
/// </remarks>
public sealed partial class IdempotencyKeys(
    RequestDelegate next,
    IDocumentStore store,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<IdempotencyKeys> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>A claim with no answer after this long belongs to a request that died.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(60);

    private readonly TimeSpan _retention =
        configuration.GetValue<TimeSpan?>("Idempotency:Retention") ?? TimeSpan.FromHours(24);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial Regex KeyPattern();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/api")
            || !context.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (!KeyPattern().IsMatch(key))
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "The Idempotency-Key header is not valid.",
                "1 to 128 letters, digits and . _ : - starting with a letter or digit (a UUID is a good key).");
            return;
        }

        context.Request.EnableBuffering();
        var bodyHash = Convert.ToHexString(await SHA256.HashDataAsync(context.Request.Body, context.RequestAborted));
        context.Request.Body.Position = 0;
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{context.User.UserId()}\n{context.Request.Method}\n{context.Request.Path}\n{key}")));

        var now = clock.GetUtcNow();
        await using (var query = store.QuerySession())
        {
            var earlier = await query.LoadAsync<IdempotentAnswer>(id, context.RequestAborted);
            if (earlier is not null && earlier.ExpiresAt > now
                && (earlier.Status is not null || earlier.StartedAt + AbandonedAfter > now))
            {
                await Answer(context, earlier, bodyHash);
                return;
            }
        }

        if (!await Claim(new IdempotentAnswer(id, bodyHash, now, now + _retention), context.RequestAborted))
        {
            await StillRunning(context);
            return;
        }

        // The answer is written to memory first, to be kept; then sent.
        var bodyFeature = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var captured = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(captured));
        var kept = false;
        try
        {
            await next(context);
            context.Features.Set(bodyFeature);
            if (context.Response.StatusCode < 500)
            {
                await Keep(id, bodyHash, now, context, captured);
                kept = true;
            }

            captured.Position = 0;
            await captured.CopyToAsync(context.Response.Body, CancellationToken.None);
        }
        finally
        {
            context.Features.Set(bodyFeature);
            if (!kept)
            {
                await Release(id);
            }
        }
    }

    // Named as the header is spelled (not camel-cased like a body member).
    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, extensions: new Dictionary<string, object?>
        {
            ["errors"] = new Dictionary<string, string[]> { [Header] = [detail] },
        }).ExecuteAsync(context);

    private static Task StillRunning(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "A request with this Idempotency-Key is still being processed. Retry in a moment.")
            .ExecuteAsync(context);
    }

    private static async Task Answer(HttpContext context, IdempotentAnswer earlier, string bodyHash)
    {
        if (earlier.BodyHash != bodyHash)
        {
            await Refuse(context, StatusCodes.Status422UnprocessableEntity,
                "This Idempotency-Key was used with another request body.",
                "Use a new key for a new request; repeat a request with the same key and the same body.");
            return;
        }

        if (earlier.Status is not { } status)
        {
            await StillRunning(context);
            return;
        }

        context.Response.StatusCode = status;
        context.Response.Headers[ReplayedHeader] = "true";
        if (earlier.Location is not null)
        {
            context.Response.Headers.Location = earlier.Location;
        }

        if (earlier.ETag is not null)
        {
            context.Response.Headers.ETag = earlier.ETag;
        }

        if (earlier.Body is not null)
        {
            context.Response.ContentType = earlier.ContentType;
            await context.Response.WriteAsync(earlier.Body, context.RequestAborted);
        }
    }

    /// <summary>
    /// Inserts the claim; false when another request holds it. An expired answer, or a claim abandoned by
    /// a request that died, is deleted in the same transaction, under the same condition: of two requests
    /// taking it over at once, or one taking over a claim just made, one insert conflicts.
    /// </summary>
    private async Task<bool> Claim(IdempotentAnswer claim, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var now = claim.StartedAt;
        var abandoned = now - AbandonedAfter;
        session.DeleteWhere<IdempotentAnswer>(a =>
            a.Id == claim.Id && (a.ExpiresAt <= now || (a.Status == null && a.StartedAt <= abandoned)));
        session.Insert(claim);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DocumentAlreadyExistsException)
        {
            return false;
        }
    }

    private async Task Keep(
        string id, string bodyHash, DateTimeOffset startedAt, HttpContext context, MemoryStream captured)
    {
        var response = context.Response;
        await using var session = store.LightweightSession();
        session.Store(new IdempotentAnswer(
            id,
            bodyHash,
            startedAt,
            clock.GetUtcNow() + _retention,
            response.StatusCode,
            response.ContentType,
            response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
            captured.Length == 0 ? null : Encoding.UTF8.GetString(captured.GetBuffer(), 0, (int)captured.Length)));
        // Kept whatever happens to the caller's connection: the command itself has been done.
        await session.SaveChangesAsync(CancellationToken.None);
    }

    private async Task Release(string id)
    {
        try
        {
            await using var session = store.LightweightSession();
            session.Delete<IdempotentAnswer>(id);
            await session.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The claim then lapses after AbandonedAfter.
            LogReleaseFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "An Idempotency-Key claim could not be released ({ExceptionType}); it lapses in 60 s")]
    private static partial void LogReleaseFailed(ILogger logger, string exceptionType);
}

/// <summary>Registered with the event store: a process with a Marten store keeps idempotent answers.</summary>

/// <summary>Deletes the answers whose retention ended, every hour.</summary>
public sealed class IdempotentAnswerSweep(
    IDocumentStore store, TimeProvider clock, ILogger<IdempotentAnswerSweep> logger)
    : PeriodicJob(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var now = Clock.GetUtcNow();
        session.DeleteWhere<IdempotentAnswer>(a => a.ExpiresAt < now);
        await session.SaveChangesAsync(cancellationToken);
        return 0;
    }
}
