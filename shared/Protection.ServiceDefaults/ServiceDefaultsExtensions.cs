using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Protection.ServiceDefaults.Auth;
using Protection.ServiceDefaults.Http;
using Protection.ServiceDefaults.Telemetry;
using Protection.ServiceDefaults.Testing;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Protection.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Everything a Protection process needs before its own modules: telemetry, health checks, JWT
    /// auth with the shared role policies, problem details, JSON conventions,
    /// OpenAPI and a clock. Services then add <c>AddEventStore</c> and <c>AddMessaging</c>.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.AddProtectionTelemetry(serviceName);
        builder.AddProtectionAuth();

        AdjustableClock.Register(builder);
        builder.Services.AddProtectionProblemDetails();
        builder.Services.Configure<JsonOptions>(json =>
        {
            ConfigureJson(json.SerializerOptions);
            // Request bodies are read strictly: an unknown member or one given twice ("dataProcessing":
            // false, "dataProcessing": true) is a 400 naming it, never silently dropped or last-one-wins.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.Converters.Add(new NoNulStringConverter());
        });
        // No JSON body of this API comes near this; a larger one is refused (413) before it is read.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize =
                builder.Configuration.GetValue<long?>("Http:MaxRequestBodySize") ?? MaxRequestBodySize);
        builder.Services.AddProtectionOpenApi(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    /// <summary>
    /// The largest request body any process accepts, unless <c>Http:MaxRequestBodySize</c> says otherwise.
    /// </summary>
    public const long MaxRequestBodySize = 256 * 1024;

    /// <summary>
    /// Enums as camelCase strings (numbers refused), camelCase properties: the API's JSON conventions.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
    }

    /// <summary>Middleware in order, health endpoints and the OpenAPI document.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseProtectionProblemDetails();
        app.UseAuthentication();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseMiddleware<JsonCharsetMiddleware>();
        app.UseAuthorization();
        if (app.Services.GetService<IdempotencyKeysEnabled>() is { } idempotencyKeys)
        {
            app.UseMiddleware(idempotencyKeys.Middleware);
        }

        app.MapHealthChecks(
            "/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks(
            "/health/ready", new HealthCheckOptions { Predicate = check => !check.Tags.Contains("live") });
        app.MapOpenApi("/openapi/{documentName}.json");
        AdjustableClock.MapEndpoint(app);
        return app;
    }
}
