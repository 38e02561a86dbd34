using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// RFC 9457 problem details for every error: malformed bodies name the offending field (400), a
/// concurrent write is a 409, a transient database or broker failure a 503 with Retry-After, anything
/// unexpected a 500 without internals (exception messages can
/// hold personal data, so none reach the client or the log line's message template).
/// </summary>
public static partial class ProblemDetailsSetup
{
    public static IServiceCollection AddProtectionProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                validation.Errors = validation.Errors.ToDictionary(
                    e => JsonFieldName(e.Key), e => JsonMessages(e.Key, e.Value));
            }

            var http = context.HttpContext;
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                // The limit of this route (set by its metadata, or the gateway's route), not the server-wide one.
                var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize
                    ?? ServiceDefaultsExtensions.MaxRequestBodySize;
                context.ProblemDetails.Title =
                    $"The request body is larger than this operation accepts ({BodyLimits.Describe(limit)}).";
                context.ProblemDetails.Extensions["maxBodySize"] = limit;
            }

            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
            if (CorrelationMiddleware.Of(http) is { } correlationId)
            {
                context.ProblemDetails.Extensions["correlationId"] = correlationId;
            }
        });
        // After the default writer: a problem is JSON even for a client that only accepts, say, text/html.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, ProblemJsonWriter>());
        services.AddExceptionHandler<ProtectionExceptionHandler>();
        // Binding failures throw in every environment, so they all become problem details naming the parameter.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static IApplicationBuilder UseProtectionProblemDetails(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Validation keys as the client wrote them: <c>Defender.Contacts.Email</c> → <c>defender.contacts.email</c>.
    /// </summary>
    public static string JsonFieldName(string key) =>
        string.Join('.', key.Split('.').Select(part =>
            part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>
    /// Validation messages name the member as the JSON does: "The Defender field is required." under
    /// <c>Defender</c> becomes "The defender field is required." under <c>defender</c>.
    /// </summary>
    public static string[] JsonMessages(string key, string[] messages)
    {
        var member = key.Split('.')[^1];
        member = member.Contains('[', StringComparison.Ordinal)
            ? member[..member.IndexOf('[', StringComparison.Ordinal)]
            : member;
        if (member.Length == 0 || !char.IsUpper(member[0]))
        {
            return messages;
        }

        var pattern = new Regex(
            $@"\b{Regex.Escape(member)}\b", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        var json = JsonFieldName(member);
        return messages.Select(m => pattern.Replace(m, json)).ToArray();
    }

    /// <summary>The body's JSON path as a field name: <c>$.threats[0].type</c> → <c>threats[0].type</c>.</summary>
    public static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    /// <summary>Seconds a client should wait after a 503 before trying again.</summary>
    public const int RetryAfterSeconds = 2;

    internal sealed partial class ProtectionExceptionHandler(
        IProblemDetailsService problemDetails,
        IEnumerable<IExceptionStatus> classifiers,
        ILogger<ProtectionExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(
            HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, errors) = exception switch
            {
                // The title says the route's limit (see CustomizeProblemDetails).
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    (StatusCodes.Status413PayloadTooLarge, (string?)null, null),
                BadHttpRequestException { InnerException: JsonException json } =>
                    (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this operation.",
                        new Dictionary<string, string[]> { [FieldName(json.Path)] = [JsonProblem(json)] }),
                // An empty or null body: the body itself is missing, whatever the handler calls its parameter.
                BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad
                    when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                    (StatusCodes.Status400BadRequest, "The request body is missing.",
                        new Dictionary<string, string[]> { ["body"] = ["Send a JSON object as the request body."] }),
                BadHttpRequestException bad when BindingFailure().Match(bad.Message) is { Success: true } binding =>
                    (StatusCodes.Status400BadRequest, "A parameter has a value this operation does not accept.",
                        new Dictionary<string, string[]>
                        {
                            [binding.Groups["name"].Value] = ["The value is not valid for this parameter."],
                        }),
                BadHttpRequestException bad =>
                    (bad.StatusCode,
                        "The request could not be read. Send a JSON body with Content-Type: application/json.",
                        null),
                _ when classifiers.Select(c => c.Classify(exception)).FirstOrDefault(c => c is not null) is { } known =>
                    (known.Status, known.Title, null),
                _ => (StatusCodes.Status500InternalServerError,
                    "Something went wrong on our side. The error was logged with this trace id.", null),
            };

            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                LogTransient(logger, exception.GetType().FullName!, Activity.Current?.TraceId.ToString());
                httpContext.Response.Headers.RetryAfter =
                    RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (status >= 500)
            {
                LogUnhandled(
                    logger, exception.GetType().FullName!, Activity.Current?.TraceId.ToString(), exception.StackTrace);
            }

            httpContext.Response.StatusCode = status;
            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title };
            if (errors is not null)
            {
                problem.Extensions["errors"] = errors;
            }

            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = problem,
                Exception = exception,
            });
        }

        [GeneratedRegex("""^(Failed to bind parameter|Required parameter) "(\S+ )?(?<name>[A-Za-z0-9_]+)""")]
        private static partial Regex BindingFailure();

        // Only messages known to quote the path and the expected type are used; the reader's own
        // (malformed JSON) quote what was sent ("'tru' is an invalid JSON literal"), so they are replaced.
        private static string JsonProblem(JsonException json) => json.Message switch
        {
            var m when json is JsonMemberException => m.Split(" Path:", 2)[0],
            var m when m.Contains("maximum configured depth", StringComparison.Ordinal) =>
                "The body is nested too deeply (at most 64 levels).",
            var m when m.Contains("could not be converted", StringComparison.Ordinal) =>
                "The value is not valid for this field (wrong type, or not one of the accepted values listed "
                + "in the API description).",
            var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) =>
                "This operation has no such member; the API description lists the ones it takes.",
            var m when m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) =>
                "This member is given more than once; give it once.",
            _ => $"Not well-formed JSON here (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}): "
                + "check the quotes, commas, brackets and escapes, and that the body is UTF-8.",
        };

        [LoggerMessage(Level = LogLevel.Warning, Message = "Transient {ExceptionType} answered 503 (trace {TraceId})")]
        private static partial void LogTransient(ILogger logger, string exceptionType, string? traceId);

        // Only the exception type: messages and stack data may carry request content.
        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} (trace {TraceId}) {StackTrace}")]
        private static partial void LogUnhandled(
            ILogger logger, string exceptionType, string? traceId, string? stackTrace);
    }
}
