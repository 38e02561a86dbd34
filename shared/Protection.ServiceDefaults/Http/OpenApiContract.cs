using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// The OpenAPI documents as a client meets the API: through the gateway, with every answer an
/// operation can give. ASP.NET Core lists only the success type of a handler that returns
/// <c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>, so the refusals are added here: those that follow
/// from the endpoint's shape (<see cref="ProblemResponses"/>) and those its handler gives, declared
/// where it is mapped with <see cref="ProducesProblems{TBuilder}"/>.
/// </summary>
public static class OpenApiContract
{
    /// <summary>The public address the documents name as their server (<c>OpenApi:PublicAddress</c>).</summary>
    public const string PublicAddressKey = "OpenApi:PublicAddress";

    public const string ProblemJson = "application/problem+json";

    private const string NullableProperty = "x-is-nullable-property";

    public static IServiceCollection AddProtectionOpenApi(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, ProblemResponses>());
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer((schema, context, _) =>
            {
                NullOnlyWhereAccepted(schema, context);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, context, _) =>
            {
                PublicServer(document, configuration, context.ApplicationServices);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// Declares the refusals a handler gives (404, 409, 422…) as problem details; 400 and 422 carry
    /// <c>errors</c>. The refusals every endpoint of its shape can give are added without this.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(Problem(status));
        }

        return builder;
    }

    internal static ProducesResponseTypeMetadata Problem(int status) => new(
        status,
        status is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity
            ? typeof(HttpValidationProblemDetails)
            : typeof(ProblemDetails),
        [ProblemJson]);

    /// <summary>
    /// System.Text.Json's schema of a nullable enum puts <c>null</c> into the enum itself, and that enum
    /// becomes the shared component: then every use of it "accepts" null, and a nullable use
    /// (<c>oneOf: [null, $ref]</c>) matches null twice, which <c>oneOf</c> forbids. Nullability belongs to
    /// the use, so it is taken out of the enum. A property marked <see cref="RequiredAttribute"/> is
    /// nullable in C# only so that its absence is a named 400: the API refuses null there, so the
    /// document does too.
    /// </summary>
    private static void NullOnlyWhereAccepted(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Type.IsAssignableTo(typeof(ProblemDetails)))
        {
            ProblemExtensions(schema);
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            var nulls = values.Where(v => v is null || v.GetValueKind() == System.Text.Json.JsonValueKind.Null);
            foreach (var value in nulls.ToArray())
            {
                values.Remove(value);
            }

            if (context.JsonPropertyInfo is null)
            {
                schema.Type &= ~JsonSchemaType.Null;
            }
        }

        if (context.JsonPropertyInfo?.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
        {
            schema.Type &= ~JsonSchemaType.Null;
            // What makes a referenced schema (an enum, an object) a oneOf [null, $ref] when it is put in place.
            schema.Metadata?.Remove(NullableProperty);
        }
    }

    /// <summary>
    /// Problem details carry members beyond RFC 9457's (every one has <c>traceId</c>, most
    /// <c>correlationId</c>; a stale write names <c>currentVersion</c>): the strict reading of request
    /// bodies made their schema refuse any, which is not what is sent.
    /// </summary>
    private static void ProblemExtensions(OpenApiSchema schema)
    {
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties.TryAdd("traceId", new OpenApiSchema { Type = JsonSchemaType.String });
        schema.Properties.TryAdd("correlationId", new OpenApiSchema { Type = JsonSchemaType.String });
    }

    /// <summary>
    /// The server is the gateway, where clients call: <c>OpenApi:PublicAddress</c> when set, else the
    /// address the client used when the gateway forwarded the request (its <c>X-Forwarded-*</c>
    /// headers), else the address the document was asked at.
    /// </summary>
    private static void PublicServer(OpenApiDocument document, IConfiguration configuration, IServiceProvider services)
    {
        var configured = configuration[PublicAddressKey];
        var request = services.GetService<IHttpContextAccessor>()?.HttpContext?.Request;
        var forwardedHost = request?.Headers["X-Forwarded-Host"].ToString().Split(',')[0].Trim();
        string? url = null;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            url = configured;
        }
        else if (!string.IsNullOrEmpty(forwardedHost) && HostString.FromUriComponent(forwardedHost).HasValue)
        {
            var scheme = request!.Headers["X-Forwarded-Proto"].ToString().Split(',')[0].Trim();
            var prefix = request.Headers["X-Forwarded-Prefix"].ToString().Split(',')[0].Trim();
            url = $"{(scheme is "http" or "https" ? scheme : request.Scheme)}://{forwardedHost}{prefix}";
        }

        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var address))
        {
            document.Servers = [new OpenApiServer { Url = address.AbsoluteUri.TrimEnd('/') + "/" }];
        }
    }

    /// <summary>
    /// The refusals that follow from an endpoint's shape, added to what ApiExplorer describes (so the
    /// schemas are made as for any declared response): a body or a typed query value can be
    /// malformed (400), a body too large (413) or not UTF-8 (415); a protected endpoint refuses the
    /// anonymous (401) and the wrong role (403); a path with an id answers 404 for an unknown one; a
    /// command's Idempotency-Key can be malformed (400), reused (422) or busy (409); a service with a
    /// database answers a transient fault with 503; and every published operation passes the gateway's
    /// per-user rate limit (429).
    /// </summary>
    internal sealed class ProblemResponses(IServiceProvider services) : IApiDescriptionProvider
    {
        // A process with an event store keeps idempotent answers and answers a database fault with 503.
        private readonly bool _stored = services.GetService<IdempotencyKeysEnabled>() is not null;

        // After the minimal-API provider (-1100) has described the endpoints.
        public int Order => 0;

        public void OnProvidersExecuting(ApiDescriptionProviderContext context)
        {
            foreach (var description in context.Results)
            {
                foreach (var status in StatusesOf(description, _stored))
                {
                    if (description.SupportedResponseTypes.All(r => r.StatusCode != status))
                    {
                        var metadata = Problem(status);
                        description.SupportedResponseTypes.Add(new ApiResponseType
                        {
                            StatusCode = status,
                            Type = metadata.Type,
                            ApiResponseFormats = [new ApiResponseFormat { MediaType = ProblemJson }],
                        });
                    }
                }

                var sorted = description.SupportedResponseTypes.OrderBy(r => r.StatusCode).ToArray();
                description.SupportedResponseTypes.Clear();
                foreach (var response in sorted)
                {
                    description.SupportedResponseTypes.Add(response);
                }
            }
        }

        public void OnProvidersExecuted(ApiDescriptionProviderContext context)
        {
        }

        private static IEnumerable<int> StatusesOf(ApiDescription description, bool stored)
        {
            var metadata = description.ActionDescriptor.EndpointMetadata;
            var parameters = description.ParameterDescriptions;
            var body = parameters.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form);
            var typedValue = parameters.Any(p =>
                (p.Source == BindingSource.Query || p.Source == BindingSource.Header) && p.Type != typeof(string));
            if (body || typedValue)
            {
                yield return StatusCodes.Status400BadRequest;
            }

            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            if (!anonymous && metadata.OfType<IAuthorizeData>().Any())
            {
                yield return StatusCodes.Status401Unauthorized;
                yield return StatusCodes.Status403Forbidden;
            }

            if (parameters.Any(p => p.Source == BindingSource.Path))
            {
                yield return StatusCodes.Status404NotFound;
            }

            if (body)
            {
                yield return StatusCodes.Status413PayloadTooLarge;
                yield return StatusCodes.Status415UnsupportedMediaType; // a charset other than UTF-8
            }

            // Idempotency-Key: malformed (400), used with another body (422), its first request still running (409).
            if (stored && description.HttpMethod == HttpMethods.Post
                && description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
            {
                yield return StatusCodes.Status400BadRequest;
                yield return StatusCodes.Status409Conflict;
                yield return StatusCodes.Status422UnprocessableEntity;
            }

            // A database fault that says nothing about the request (TransientFaults).
            if (stored)
            {
                yield return StatusCodes.Status503ServiceUnavailable;
            }

            if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
            {
                yield return StatusCodes.Status429TooManyRequests;
            }
        }
    }
}
