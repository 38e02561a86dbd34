using JasperFx;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Protection.ServiceDefaults.Http;

namespace Protection.EventSourcing.Http;

/// <summary>
/// Failures of the database or the broker that say nothing about the request: a terminated or refused
/// connection, a server shutting down or out of connections, a timeout. They are answered 503 with
/// <c>Retry-After</c>, never 500 (a 500 is a bug).
/// </summary>
/// <remarks>
/// Marten already retries reads, and commits only when PostgreSQL reported that the transaction rolled
/// back. What still arrives here may have committed (the connection died with the COMMIT in flight), so
/// a client that retries the same change gets either its success or a 409/422 that says it already
/// happened: every write appends at the version it read.
/// </remarks>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception) => Flatten(exception).Any(e => e switch
    {
        PostgresException pg => IsTransientState(pg.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        _ => IsBrokerFault(e),
    });

    /// <summary>
    /// Shutdown (57P01-57P03), cannot connect now, too many connections (53300), any connection exception
    /// (08xxx).
    /// </summary>
    public static bool IsTransientState(string sqlState) =>
        sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
        || sqlState.StartsWith("08", StringComparison.Ordinal);

    // By name: the broker client's exceptions (RabbitMQ.Client, MassTransit) without a reference to either here.
    private static bool IsBrokerFault(Exception e) => e.GetType().FullName switch
    {
        "RabbitMQ.Client.Exceptions.BrokerUnreachableException"
            or "RabbitMQ.Client.Exceptions.AlreadyClosedException"
            or "RabbitMQ.Client.Exceptions.OperationInterruptedException"
            or "MassTransit.RequestTimeoutException" => true,
        _ => false,
    };

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}

/// <summary>
/// The event store's exceptions as answers: a concurrent write is 409, a lost database or broker 503.
/// </summary>
public sealed class StoreAndBrokerFaults : IExceptionStatus
{
    public (int Status, string Title)? Classify(Exception exception) => exception switch
    {
        ConcurrencyException =>
            (StatusCodes.Status409Conflict,
                "The case was changed by someone else at the same time. Reload it and try again."),
        _ when TransientFaults.IsTransient(exception) =>
            (StatusCodes.Status503ServiceUnavailable,
                "The service could not reach its database or broker just now. Try again in a moment; "
                + "a change may have been saved already, so reload before repeating it."),
        _ => null,
    };
}
