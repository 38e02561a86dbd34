using Microsoft.AspNetCore.Http;
using Protection.ServiceDefaults.Auth;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Gives every request a correlation id (the caller's <c>X-Correlation-Id</c>, or a new one), echoes
/// it in the response, forwards it (the gateway proxies the request headers as they are now) and
/// makes the acting user and the correlation id the current <see cref="OperationContext"/>.
/// Runs after authentication so the actor is known.
/// </summary>
public sealed partial class CorrelationMiddleware(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";

    /// <summary>
    /// A caller's correlation id is kept only when it is 1 to 128 letters, digits and <c>. _ : -</c>,
    /// starting with a letter or digit: it is echoed in a header, stored with every event and written
    /// into exports, so anything else (control or line-separator characters, a leading <c>=</c>) is
    /// replaced by a fresh id rather than refused.
    /// </summary>
    public static bool IsSafe(string? correlationId) =>
        correlationId is { Length: > 0 } && SafePattern().IsMatch(correlationId);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")]
    private static partial System.Text.RegularExpressions.Regex SafePattern();

    /// <summary>
    /// The request's correlation id, as soon as this middleware has run: problem details are written
    /// before the response's headers (where the id is added as the response starts) exist.
    /// </summary>
    public static string? Of(HttpContext context) =>
        context.Items.TryGetValue(typeof(CorrelationMiddleware), out var id) ? id as string
        : context.Request.Headers[Header].ToString() is var sent && IsSafe(sent) ? sent
        : null;

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = context.Request.Headers[Header].ToString();
        if (!IsSafe(correlationId))
        {
            correlationId = Guid.CreateVersion7().ToString();
            context.Request.Headers[Header] = correlationId;
        }

        context.Items[typeof(CorrelationMiddleware)] = correlationId;

        // Only if the response has none yet: behind the gateway the proxied answer already carries it.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.TryAdd(Header, correlationId);
            return Task.CompletedTask;
        });
        System.Diagnostics.Activity.Current?.SetTag("correlation.id", correlationId);

        var user = context.User;
        var operation = new OperationContext(
            Actor: user.Identity?.IsAuthenticated == true ? user.UserId() : "anonymous",
            ActorRole: string.Join(',', user.RoleNames()),
            CorrelationId: correlationId,
            CausationId: correlationId);
        using (OperationContext.Begin(operation))
        {
            await next(context);
        }
    }
}
