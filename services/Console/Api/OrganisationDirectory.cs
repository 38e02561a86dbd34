using Microsoft.Extensions.Caching.Memory;

namespace Protection.Console.Api;

/// <summary>
/// Organisation names for the pages (the API names organisations by id): the directory
/// (<c>GET /api/organisations</c>, the same for every signed-in person, no people in it) read with the
/// person's own token and kept a minute in memory. An id the copy does not know (an organisation created
/// since) reads the directory again at once, and an id still unknown after that at most every few seconds; an
/// id still unknown, or a directory that does not answer, shows as the id itself.
/// </summary>
public sealed class OrganisationDirectory(ProtectionApi api, IMemoryCache cache, TimeProvider clock)
{
    public const string Protection = "protection";

    private const string Key = "console:organisation-directory";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RereadAfter = TimeSpan.FromSeconds(3);

    /// <summary>Every organisation, read anew when the copy is older than <paramref name="maxAge"/>.</summary>
    public async Task<IReadOnlyList<OrganisationEntry>> AllAsync(TimeSpan? maxAge = null)
    {
        var copy = cache.Get<Copy>(Key);
        if (copy is null || clock.GetUtcNow() - copy.ReadAt > (maxAge ?? Lifetime))
        {
            // A directory that does not answer is asked again no sooner than a good answer would be.
            copy = await ReadAsync() ?? new Copy(copy?.Organisations ?? [], clock.GetUtcNow());
            cache.Set(Key, copy, Lifetime * 5);
        }

        return copy.Organisations;
    }

    /// <summary>Names for <paramref name="ids"/>; an id the directory does not know names itself.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string?> ids)
    {
        var wanted = ids.OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var all = await AllAsync();
        var unknown = wanted.Where(id => !Knows(all, id)).ToArray();
        if (unknown.Any(id => !cache.TryGetValue(MissingKey(id), out _)))
        {
            // An id not seen yet (an organisation created since the copy was read) reads the directory at once;
            // one still unknown after that is not asked about again for a few seconds.
            all = await AllAsync(TimeSpan.Zero);
            foreach (var id in unknown.Where(id => !Knows(all, id)))
            {
                cache.Set(MissingKey(id), true, RereadAfter);
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in wanted)
        {
            names[id] = NameIn(all, id);
        }

        return names;
    }

    /// <summary>The name of one organisation, or its id.</summary>
    public async Task<string> NameAsync(string id) => (await NamesAsync([id]))[id];

    private static bool Knows(IReadOnlyList<OrganisationEntry> all, string id) =>
        all.Any(o => string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase));

    private static string MissingKey(string id) => $"console:organisation-missing:{id.ToUpperInvariant()}";

    private static string NameIn(IReadOnlyList<OrganisationEntry> all, string id) =>
        all.FirstOrDefault(o => string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase))?.Name ?? id;

    private async Task<Copy?> ReadAsync()
    {
        try
        {
            var answer = await api.OrganisationsAsync();
            if (!answer.Succeeded || answer.Value is null)
            {
                return null;
            }

            return new Copy(answer.Value, clock.GetUtcNow());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null; // names are a convenience: the page still shows the ids
        }
    }

    private sealed record Copy(IReadOnlyList<OrganisationEntry> Organisations, DateTimeOffset ReadAt);
}
