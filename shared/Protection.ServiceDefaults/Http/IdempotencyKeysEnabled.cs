namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Registered by a process that keeps answers to <c>Idempotency-Key</c> requests (the event store's
/// half does): the request pipeline then runs <see cref="Middleware"/> after authorization, and the
/// OpenAPI documents list the header.
/// </summary>
public sealed class IdempotencyKeysEnabled(Type middleware)
{
    public Type Middleware { get; } = middleware;
}
