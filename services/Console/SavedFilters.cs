using System.Text.Json;

namespace Protection.Console;

/// <summary>
/// An officer's saved filters of <i>My cases</i>, kept in a cookie of their browser (at most ten):
/// filters name stages, levels, threat types and countries, never a person.
/// </summary>
public static class SavedFilters
{
    private const string Cookie = "protection.filters";
    private const int Most = 10;

    public sealed class Filter
    {
        public string? Name { get; set; }

        public string? Query { get; set; }
    }

    public static List<Filter> Read(HttpContext http)
    {
        try
        {
            return http.Request.Cookies.TryGetValue(Cookie, out var value)
                ? JsonSerializer.Deserialize<List<Filter>>(Uri.UnescapeDataString(value))
                    ?.Where(f => f.Name is not null && f.Query is not null)
                    .Take(Most)
                    .ToList() ?? []
                : [];
        }
        catch (JsonException)
        {
            return []; // a cookie that is not ours: ignored
        }
    }

    public static List<Filter> Add(HttpContext http, List<Filter> saved, string name, string query)
    {
        var updated = saved
            .Where(f => f.Name != name)
            .Prepend(new Filter { Name = name[..Math.Min(name.Length, 40)], Query = query })
            .Take(Most)
            .ToList();
        http.Response.Cookies.Append(Cookie, Uri.EscapeDataString(JsonSerializer.Serialize(updated)), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        return updated;
    }
}
