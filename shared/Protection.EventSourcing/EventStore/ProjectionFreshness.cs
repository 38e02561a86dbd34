using System.Globalization;
using Marten;

namespace Protection.EventSourcing.EventStore;

/// <summary>
/// How fresh an answer read from an async projection is: the async daemon applies events a moment after
/// they are stored, so a dashboard says up to which event its figures go and whether newer events wait.
/// </summary>
/// <param name="AsOf">When the figures were read.</param>
/// <param name="ProjectedTo">The sequence number of the last event the projection has applied.</param>
/// <param name="LatestEvent">The sequence number of the newest event stored.</param>
/// <param name="Current">Whether the projection has applied every event stored (no newer event waits).</param>
public sealed record Freshness(DateTimeOffset AsOf, long ProjectedTo, long LatestEvent, bool Current)
{
    /// <summary>Figures read from documents that are written with the facts themselves: current when read.</summary>
    public static Freshness Immediate(DateTimeOffset now) => new(now, 0, 0, true);

    /// <summary>The freshness of the async projection named <paramref name="projection"/>.</summary>
    public static async Task<Freshness> OfAsync(
        IQuerySession session, string projection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var shards = await session.DocumentStore.Advanced.AllProjectionProgress(token: cancellationToken);
        var projectedTo = shards
            .Where(s => s.ShardName.StartsWith(projection + ":", StringComparison.Ordinal))
            .Select(s => s.Sequence)
            .DefaultIfEmpty(0)
            .Min();
        var events = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var latest = (await session.AdvancedSql.QueryAsync<long>(
            $"select coalesce(max(seq_id), 0) from {events}.mt_events", cancellationToken))[0];
        return new Freshness(now, projectedTo, latest, projectedTo >= latest);
    }
}

/// <summary>The twelve calendar months (UTC) up to and including the current one, oldest first.</summary>
public static class DashboardMonths
{
    public static IReadOnlyList<DateOnly> LastTwelve(DateTimeOffset now)
    {
        var first = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        return [.. Enumerable.Range(0, 12).Select(i => first.AddMonths(i - 11))];
    }

    /// <summary>The month as the dashboards name it, e.g. <c>2026-12</c>.</summary>
    public static string Name(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Of(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
