using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Protection.ServiceDefaults.Telemetry;

public static class TelemetrySetup
{
    /// <summary>
    /// Traces and metrics for ASP.NET Core and HttpClient (the event store adds MassTransit, Npgsql and
    /// Marten), exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Span attributes carry
    /// ids and paths only: query text is parameterised and request bodies are never recorded.
    /// </summary>
    public static IHostApplicationBuilder AddProtectionTelemetry(
        this IHostApplicationBuilder builder, string serviceName)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = IsNotHealthProbe)
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
        else
        {
            // Nobody collects the spans: they are not recorded (every SQL command, message and request was,
            // for nothing, a measurable share of each service's CPU in the benchmark), but trace ids still
            // flow from request to request and message to message, so the logs stay correlated.
            otel.WithTracing(tracing => tracing.SetSampler(new ParentBasedSampler(new AlwaysOffSampler())));
        }

        return builder;
    }

    private static bool IsNotHealthProbe(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
