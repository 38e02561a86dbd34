using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// JSON bodies are UTF-8 (RFC 8259 §8.1): a JSON body declared in any other charset is refused with
/// 415 before it is read. Without this an unknown charset (<c>charset=x-anything</c>) made the body
/// reader throw (a 500), and a UTF-16 one was transcoded the reader's way instead of refused.
/// Forms and other media types are not touched.
/// </summary>
public sealed class JsonCharsetMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            && IsJson(type)
            && type.Charset.HasValue
            && !IsUtf8(type.Charset.Value!))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = "Send JSON bodies in UTF-8 (Content-Type: application/json, with charset=utf-8 or none).",
                },
            });
            return;
        }

        await next(context);
    }

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    private static bool IsUtf8(string charset) =>
        charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || charset.Trim('"').Equals("utf8", StringComparison.OrdinalIgnoreCase);
}
