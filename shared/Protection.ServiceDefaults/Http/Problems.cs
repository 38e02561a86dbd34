using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Protection.ServiceDefaults.Http;

/// <summary>Problem answers for rule violations, beside the 400s that request validation produces.</summary>
public static class Problems
{
    /// <summary>
    /// 422: the request is well-formed but a domain rule refuses it; <paramref name="errors"/> names the fields.
    /// </summary>
    public static ProblemHttpResult Unprocessable(IDictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
        });

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} was not found.");

    public static ProblemHttpResult Forbidden(string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: why);

    /// <summary>
    /// 409: the request is valid but the resource's state does not allow it now (e.g. the case is closed).
    /// </summary>
    public static ProblemHttpResult Conflict(string title, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, extensions: extensions);

    /// <summary>Reads a version from <c>If-Match: "3"</c>; null when absent or not a version.</summary>
    public static long? IfMatchVersion(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim().Trim('W', '/').Trim('"');
        return long.TryParse(value, out var version) ? version : null;
    }
}
