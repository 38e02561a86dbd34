using Microsoft.AspNetCore.Http;
using Protection.ServiceDefaults.Auth;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Gives every request a correlation id (the caller's <c>X-Correlation-Id</c>, or a new one), echoes
/// it in the response, forwards it (the gateway proxies the request headers as they are now) and
/// makes the acting user and the correlation id the current <see cref="OperationContext"/>.
/// Runs after authentication so the actor is known.
/// </summary>
public sealed class CorrelationMiddleware(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = context.Request.Headers[Header].ToString();
        if (string.IsNullOrWhiteSpace(correlationId) || correlationId.Length > 128)
        {
            correlationId = Guid.CreateVersion7().ToString();
            context.Request.Headers[Header] = correlationId;
        }

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
