using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Writes a problem as <c>application/problem+json</c> when the default writer declines because the
/// client's <c>Accept</c> names neither JSON nor <c>*/*</c> (e.g. <c>text/html</c>): a refusal is then
/// still a problem naming the member, where it used to be an unhandled exception (a 500) or an empty
/// body. Registered after the default writer, so it only answers what that one would not.
/// </summary>
internal sealed class ProblemJsonWriter(
    IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(
            problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
