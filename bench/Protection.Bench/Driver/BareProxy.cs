using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Protection.Bench.Driver;

/// <summary>
/// <c>Protection.Bench bare-proxy --urls URL --to URL</c>: YARP and nothing else (one route for <c>/api/**</c>, no
/// authentication, authorization, rate limit, telemetry or logging), with the runtime settings every process of the
/// repository gets. Beside the gateway it shows how much of the gateway's added latency any proxy adds here.
/// </summary>
public static class BareProxy
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var to = builder.Configuration["to"] ?? throw new ArgumentException("bare-proxy needs --to URL.");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "api", ClusterId = "service", Match = new() { Path = "/api/{**rest}" } }],
            [
                new ClusterConfig
                {
                    ClusterId = "service",
                    Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = to } },
                },
            ]);
        var app = builder.Build();
        app.MapGet("/health/ready", () => "Healthy");
        app.MapReverseProxy();
        await app.RunAsync();
        return 0;
    }
}
