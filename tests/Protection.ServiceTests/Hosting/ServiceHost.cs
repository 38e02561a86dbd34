using System.Net.Http.Headers;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Protection.Contracts;
using Protection.Testing;

namespace Protection.ServiceTests.Hosting;

/// <summary>
/// One service in this process, exactly as its <c>Program</c> wires it, on a PostgreSQL database of its
/// own (created here, dropped at the end) and with no broker: MassTransit's in-memory test harness takes
/// the place of RabbitMQ, so what the service would learn from other services is handed to its own
/// consumers here. Tokens are signed with <see cref="TestTokens"/>, the one stand-in for what lies outside.
/// </summary>
/// <typeparam name="TEntryPoint">The service's <c>Program</c>.</typeparam>
public abstract class ServiceHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>, IAsyncLifetime, IServiceUnderTest
    where TEntryPoint : class
{
    private string _database = string.Empty;

    /// <summary>A short word for the database's name, e.g. <c>intake</c>.</summary>
    protected abstract string Name { get; }

    /// <summary>The case <see cref="SeedAsync"/> leaves for the collection; refusals leave it as it is.</summary>
    public Guid CaseId { get; protected set; }

    /// <summary>
    /// What else the service seeds, by the name a path template gives it (<c>measure</c>, <c>grant</c>…).
    /// </summary>
    protected virtual IEnumerable<(string Name, Guid Id)> Seeded => [];

    public ITestHarness Harness => Services.GetRequiredService<ITestHarness>();

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync($"svc_{Name}");
        _ = Server; // starts the service: its schema is applied before the first request
        await Harness.Start(); // from here on, what the service consumes and publishes is recorded
        await SeedAsync();
    }

    /// <summary>What every test of the service's collection may rely on (a case it knows, a fund…).</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>
    /// <paramref name="template"/> with <c>{case}</c> and the other <see cref="Seeded"/> ids filled in, and
    /// <c>{unknown}</c> with an id nothing has.
    /// </summary>
    public string Path(string template)
    {
        var path = template
            .Replace("{case}", CaseId.ToString(), StringComparison.Ordinal)
            .Replace("{unknown}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        foreach (var (name, id) in Seeded)
        {
            path = path.Replace($"{{{name}}}", id.ToString(), StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary>
    /// A client whose requests carry a token for <paramref name="user"/> in <paramref name="roles"/>.
    /// </summary>
    public HttpClient As(string user, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(user,
            roles));
        return client;
    }

    /// <summary>A client whose requests carry <paramref name="token"/> (e.g. <see cref="TestTokens.Of"/>).</summary>
    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client that sends no token.</summary>
    public HttpClient Anonymous() => CreateClient();

    /// <summary>
    /// Hands <paramref name="message"/> to the service as the broker would (its message id is the event's
    /// id) and waits until the service's consumer has handled it: committed, or failed.
    /// </summary>
    public async Task DeliverAsync<T>(T message)
        where T : class, IIntegrationEvent
    {
        var id = message.Metadata.EventId;
        await Harness.Bus.Publish(message, context => context.MessageId = id);
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        (await Harness.Consumed.Any<T>(m => m.Context.MessageId == id, within.Token))
            .ShouldBeTrue($"the service did not consume {typeof(T).Name} {id} within 15 s");
        var consumed = Harness.Consumed.Select<T>(m => m.Context.MessageId == id).First();
        consumed.Exception.ShouldBeNull($"the service failed on {typeof(T).Name} {id}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        builder.UseSetting("ConnectionStrings:Postgres", _database);
        // Required by the service's messaging setup; the harness below replaces the transport, so it is never dialled.
        builder.UseSetting("ConnectionStrings:RabbitMq", "amqp://no-broker.invalid/");
        builder.UseSetting("Auth:Authority", TestTokens.Issuer);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness();
            // The harness stops waiting for messages once its timers run out (by default after seconds of
            // quiet); a collection's host lives as long as its tests, so a wait ends when the message is there.
            services.Configure<TestHarnessOptions>(harness =>
            {
                harness.TestTimeout = TimeSpan.FromMinutes(10);
                harness.TestInactivityTimeout = TimeSpan.FromMinutes(10);
            });
            // The provider's discovery document and key set, as if read from it: only the key differs.
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
                jwt.ConfigurationManager =
                    new StaticConfigurationManager<OpenIdConnectConfiguration>(TestTokens.Configuration));
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestInfrastructure.DropDatabaseAsync(_database);
    }
}
