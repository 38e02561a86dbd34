using System.Net;

namespace Protection.EndToEndTests;

/// <summary>The gateway throttles each user on their own: one user's burst does not slow another.</summary>
[Collection(SystemCollection.Name)]
public sealed class RateLimitingTests(ProtectionSystem system)
{
    [Fact]
    public async Task A_user_over_their_limit_gets_429_while_another_user_is_still_served()
    {
        await using var gateway = await system.StartGatewayAsync(
            "throttled-gateway", tokenLimit: 5, tokensPerSecond: 1);
        using var busy = await ThroughGateway(gateway, "busy-officer");
        using var quiet = await ThroughGateway(gateway, "quiet-officer");

        var burst = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            burst.Add((await busy.GetAsync("/api/cases")).StatusCode);
        }

        // The refusal says when to come back: Retry-After (whole seconds) and a problem.
        var refused = await busy.GetAsync("/api/cases");
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 5);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");

        burst.Take(5).ShouldAllBe(status => status == HttpStatusCode.OK);
        burst.ShouldContain(HttpStatusCode.TooManyRequests);
        (await quiet.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The bucket is the token's subject, not the name as typed: "BUSY-OFFICER" is the same user.
        using var shouting = await ThroughGateway(gateway, "BUSY-OFFICER");
        (await shouting.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private async Task<HttpClient> ThroughGateway(ServiceProcess gateway, string user)
    {
        using var signedIn = await system.SignedInAs(user, "officer");
        var client = new HttpClient { BaseAddress = gateway.Address };
        client.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        return client;
    }
}
