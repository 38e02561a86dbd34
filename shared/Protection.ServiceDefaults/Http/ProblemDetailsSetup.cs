using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using JasperFx;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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
                validation.Errors = validation.Errors.ToDictionary(e => JsonFieldName(e.Key), e => e.Value);
            }

            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            if (context.HttpContext.Response.Headers.TryGetValue(CorrelationMiddleware.Header, out var correlationId))
            {
                context.ProblemDetails.Extensions["correlationId"] = correlationId.ToString();
            }
        });
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

    /// <summary>Validation keys as the client wrote them: <c>Defender.Contacts.Email</c> → <c>defender.contacts.email</c>.</summary>
    public static string JsonFieldName(string key) =>
        string.Join('.', key.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>The body's JSON path as a field name: <c>$.threats[0].type</c> → <c>threats[0].type</c>.</summary>
    public static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    internal sealed partial class ProtectionExceptionHandler(
        IProblemDetailsService problemDetails,
        ILogger<ProtectionExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, errors) = exception switch
            {
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    (StatusCodes.Status413PayloadTooLarge, $"The request body is larger than this service accepts ({ServiceDefaultsExtensions.MaxRequestBodySize / 1024} KB).", null),
                BadHttpRequestException { InnerException: JsonException json } =>
                    (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this operation.",
                        new Dictionary<string, string[]> { [FieldName(json.Path)] = [JsonProblem(json)] }),
                BadHttpRequestException bad when BindingFailure().Match(bad.Message) is { Success: true } binding =>
                    (StatusCodes.Status400BadRequest, "A parameter has a value this operation does not accept.",
                        new Dictionary<string, string[]> { [binding.Groups["name"].Value] = ["The value is not valid for this parameter."] }),
                BadHttpRequestException bad =>
                    (bad.StatusCode, "The request could not be read. Send a JSON body with Content-Type: application/json.", null),
                ConcurrencyException =>
                    (StatusCodes.Status409Conflict, "The case was changed by someone else at the same time. Reload it and try again.", null),
                _ when TransientFaults.IsTransient(exception) =>
                    (StatusCodes.Status503ServiceUnavailable,
                        "The service could not reach its database or broker just now. Try again in a moment; "
                        + "a change may have been saved already, so reload before repeating it.", null),
                _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side. The error was logged with this trace id.", null),
            };

            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                LogTransient(logger, exception.GetType().FullName!, Activity.Current?.TraceId.ToString());
                httpContext.Response.Headers.RetryAfter =
                    TransientFaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (status >= 500)
            {
                LogUnhandled(logger, exception.GetType().FullName!, Activity.Current?.TraceId.ToString(), exception.StackTrace);
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

        // JsonException messages quote the path and the expected type, never the value sent.
        private static string JsonProblem(JsonException json) => json.Message switch
        {
            var m when m.Contains("could not be converted", StringComparison.Ordinal) =>
                "The value is not valid for this field (wrong type, or not one of the accepted values listed in the API description).",
            var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) =>
                "This operation has no such member; the API description lists the ones it takes.",
            var m when m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) =>
                "This member is given more than once; give it once.",
            var m => m.Split(" Path:", 2)[0],
        };

        [LoggerMessage(Level = LogLevel.Warning, Message = "Transient {ExceptionType} answered 503 (trace {TraceId})")]
        private static partial void LogTransient(ILogger logger, string exceptionType, string? traceId);

        // Only the exception type: messages and stack data may carry request content.
        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} (trace {TraceId}) {StackTrace}")]
        private static partial void LogUnhandled(ILogger logger, string exceptionType, string? traceId, string? stackTrace);
    }
}
