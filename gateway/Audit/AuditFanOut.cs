using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.Http;

namespace Protection.Gateway.Audit;

/// <summary>A service whose part is not in the answer, and why.</summary>
public sealed record MissingPart(string Service, string Reason);

/// <summary>One service's answer: its part, or how it failed.</summary>
public sealed record Part<T>(string Service, T? Value, HttpStatusCode? Status, string? Failure)
    where T : class
{
    public bool Ok => Value is not null;
}

/// <summary>
/// Calls every service's <c>/audit/cases/{id}/…</c> at once, with the caller's token and correlation
/// id, each through its own resilience pipeline. A service that fails, times out or has its breaker
/// open becomes a named missing part instead of failing the whole answer.
/// </summary>
public sealed class AuditFanOut(IHttpClientFactory clients, IOptions<AuditCompositionOptions> options)
{
    public static string ClientName(string service) => $"audit-{service}";

    public static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditCompositionOptions>()
            .BindConfiguration(AuditCompositionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditFanOut>();
        var services = builder.Configuration.GetSection($"{AuditCompositionOptions.Section}:Services").Get<string[]>()
            ?? new AuditCompositionOptions().Services;
        foreach (var service in services)
        {
            var address = ClusterAddress(builder.Configuration, service);
            builder.Services.AddHttpClient(ClientName(service), client =>
                {
                    client.BaseAddress = address;
                    client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts decide
                })
                .AddResilienceHandler("audit", (pipeline, context) =>
                {
                    var o = context.ServiceProvider.GetRequiredService<IOptions<AuditCompositionOptions>>().Value;
                    pipeline
                        .AddTimeout(o.TotalTimeout)
                        .AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = Math.Max(o.Retries, 1),
                            ShouldHandle = o.Retries == 0
                                ? _ => PredicateResult.False()
                                : new HttpRetryStrategyOptions().ShouldHandle,
                            Delay = TimeSpan.FromMilliseconds(100),
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                        })
                        .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                        {
                            FailureRatio = 0.5,
                            MinimumThroughput = o.BreakerMinimumThroughput,
                            SamplingDuration = o.BreakerSamplingDuration,
                            BreakDuration = o.BreakDuration,
                        })
                        .AddTimeout(o.AttemptTimeout);
                });
        }
    }

    /// <summary>
    /// The service's address, from the same YARP cluster the proxied routes use (one place to configure it).
    /// </summary>
    private static Uri ClusterAddress(IConfiguration configuration, string service)
    {
        var destination = configuration.GetSection($"ReverseProxy:Clusters:{service}:Destinations")
            .GetChildren()
            .FirstOrDefault()?["Address"];
        return Uri.TryCreate(destination, UriKind.Absolute, out var address)
            ? address
            : throw new InvalidOperationException(
                $"{AuditCompositionOptions.Section}:Services names '{service}', but ReverseProxy:Clusters:{service} "
                + "has no destination address. Add the cluster or remove the service from the list.");
    }

    public IReadOnlyList<string> Services => options.Value.Services;

    public Task<Part<T>[]> GetAllAsync<T>(HttpContext http, string pathAndQuery, CancellationToken cancellationToken)
        where T : class =>
        Task.WhenAll(Services.Select(service => CallAsync(
            service,
            http,
            pathAndQuery,
            async (response, ct) =>
            {
                using (response)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    return await JsonSerializer.DeserializeAsync<T>(body, AuditWire.Json, ct);
                }
            },
            cancellationToken)));

    /// <summary>
    /// Every service's page of a history, open: what comes before its entries is read, its entries are
    /// read as the caller takes them. The caller disposes of every part's reader.
    /// </summary>
    public Task<Part<ServicePageReader>[]> OpenAllAsync(
        HttpContext http, string pathAndQuery, CancellationToken cancellationToken) =>
        Task.WhenAll(Services.Select(service => CallAsync(
            service,
            http,
            pathAndQuery,
            async (response, ct) => await ServicePageReader.OpenAsync(response, ct),
            cancellationToken)));

    /// <summary>
    /// Calls one service; <paramref name="read"/> takes over a successful answer (and disposes of it, or of
    /// what it returns).
    /// </summary>
    private async Task<Part<T>> CallAsync<T>(
        string service,
        HttpContext http,
        string pathAndQuery,
        Func<HttpResponseMessage, CancellationToken, Task<T?>> read,
        CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization.ToString(), out var authorization))
        {
            request.Headers.Authorization = authorization;
        }

        request.Headers.TryAddWithoutValidation(
            CorrelationMiddleware.Header,
            OperationContext.Current?.CorrelationId ?? http.Request.Headers[CorrelationMiddleware.Header].ToString());
        try
        {
            var response = await clients.CreateClient(ClientName(service))
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var value = await read(response, cancellationToken);
                return new Part<T>(
                    service, value, response.StatusCode, value is null ? "answered with an empty body" : null);
            }

            using (response)
            {
                return new Part<T>(
                    service,
                    null,
                    response.StatusCode,
                    $"answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (BrokenCircuitException)
        {
            return new Part<T>(
                service,
                null,
                null,
                "not called: its circuit breaker is open after repeated failures; "
                + "it is retried automatically in a few seconds");
        }
        catch (TimeoutRejectedException)
        {
            return new Part<T>(service, null, null, "did not answer in time");
        }
        catch (HttpRequestException e)
        {
            return new Part<T>(service, null, null, $"unreachable ({e.HttpRequestError})");
        }
        catch (JsonException)
        {
            return new Part<T>(service, null, null, "answered something that is not its audit part");
        }
    }
}
