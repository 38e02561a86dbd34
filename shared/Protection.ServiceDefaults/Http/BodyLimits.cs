using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// The largest body each operation accepts, by what it carries: a bare command (ids, codes, amounts)
/// needs a few KB, a 2000-character text 16 KB (escaped as <c>\uXXXX</c> it is six bytes a character),
/// an 8000-character text 64 KB, and opening a case with its threats the most. A body over its route's
/// limit is refused with 413 before it is read, instead of filling memory under the 256 KB server-wide cap.
/// </summary>
public static class BodyLimits
{
    /// <summary>Ids, codes, amounts, dates and short names.</summary>
    public const long Small = 4 * 1024;

    /// <summary>Free texts of up to 2000 (or 4000) characters: reasons, notes, purposes.</summary>
    public const long Text = 16 * 1024;

    /// <summary>Free texts of up to 8000 characters: threat descriptions, plans, reports.</summary>
    public const long LongText = 64 * 1024;

    /// <summary>A whole case: the defender, family members and up to 50 threats.</summary>
    public const long Case = ServiceDefaultsExtensions.MaxRequestBodySize;

    /// <summary>
    /// Sets the route's limit (<see cref="IRequestSizeLimitMetadata"/>: the routing middleware applies
    /// it to the request before the body is read).
    /// </summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    /// <summary>A limit as people read it: <c>4 KB</c>.</summary>
    public static string Describe(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB"
        : bytes >= 1024 ? $"{bytes / 1024} KB"
        : $"{bytes} bytes";

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
