using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.EventSourcing.PersonalData;
using Protection.Testing;
using Protection.Triage;
using Protection.Triage.Cases;
using Protection.Triage.Cases.FlaggingOverdue;

namespace Protection.IntegrationTests;

/// <summary>
/// The overdue detector of the real triage module, on real PostgreSQL and RabbitMQ, with a fake
/// clock: one TriageOverdue per breached deadline, across a restart of the service.
/// </summary>
public sealed class OverdueDetectionTests : IAsyncLifetime
{
    private const string OverdueExchange = "protection.triage.triage-overdue.v1";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private string _database = string.Empty;
    private string _rabbit = string.Empty;

    /// <summary>This class's exchanges (the hosts it starts, one after another, publish to the same ones).</summary>
    private readonly string _exchanges = $"itest-{Guid.NewGuid():N}"[..20] + ".";

    public async Task InitializeAsync()
    {
        (_, _rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("overdue");
    }

    public Task DisposeAsync() => TestInfrastructure.DropDatabaseAsync(_database);

    [Fact]
    public async Task Each_breached_deadline_is_published_once_even_across_a_restart()
    {
        // "Once" is one message id per breach (see PublishedEvents).
        await using var overdue = await PublishedEvents.BindAsync(_rabbit, _exchanges + OverdueExchange, "caseId");
        async Task<int> PublishedFor(Guid caseId, int atLeast) => (await overdue.AboutAsync(caseId, atLeast)).Count;

        var clock = new FakeTimeProvider(Start);
        Guid high, low;
        await using (var first = await TriageHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            high = await first.TakeInAsync(ThreatType.Physical, daysAgo: 1);   // high: due at intake + 4 h
            low = await first.TakeInAsync(ThreatType.Digital, daysAgo: 200);   // low: due at intake + 72 h
            (await first.Detector.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1)); // the periodic pass may run now as well
            await first.Detector.RunOnceAsync(CancellationToken.None);
            (await PublishedFor(high, 1)).ShouldBe(1);
            (await first.LoadAsync(high)).OverdueFlagged.ShouldBeTrue();
            (await first.LoadAsync(low)).OverdueFlagged.ShouldBeFalse();
            await first.OutboxEmptiedAsync();
        }

        // The service restarts; its clock has moved on. Nothing already flagged is flagged again.
        clock.Advance(TimeSpan.FromHours(1));
        await using (var second = await TriageHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            (await second.Detector.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            // A new breach: a supervisor raises the case to critical; its deadline becomes intake + 1 h, already past.
            await second.ChangeAsync(high, (decisions, @case, now) =>
                decisions.Override(@case, RiskLevel.Critical, new SealedData("sealed"), "supervisor-1", now).Value!);
            (await second.Detector.RunOnceAsync(CancellationToken.None)).ShouldBe(1);
            (await second.Detector.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            clock.Advance(TimeSpan.FromHours(70)); // past the low case's 72 h
            await second.Detector.RunOnceAsync(CancellationToken.None);
            (await PublishedFor(low, 1)).ShouldBe(1);
            await second.OutboxEmptiedAsync();
        }

        // Both hosts published all they committed and stopped: a duplicate would be on the queue already.
        var forHigh = await overdue.SettledAboutAsync(high);
        forHigh.Count.ShouldBe(2);
        forHigh.Select(m => m.GetProperty("dueAt").GetDateTimeOffset())
            .ShouldBe([Start + TimeSpan.FromHours(4), Start + TimeSpan.FromHours(1)], ignoreOrder: true);
        (await overdue.SettledAboutAsync(low)).ShouldHaveSingleItem().GetProperty("risk").GetString().ShouldBe("Low");
    }

    /// <summary>The triage module as the service wires it, on a fake clock, with queues of its own.</summary>
    private sealed class TriageHost : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly TimeProvider _clock;

        private TriageHost(IHost host, TimeProvider clock)
        {
            _host = host;
            _clock = clock;
        }

        public OverdueDetector Detector => _host.Services.GetRequiredService<OverdueDetector>();

        private IDocumentStore Store => _host.Services.GetRequiredService<IDocumentStore>();

        public static async Task<TriageHost> StartAsync(
            string database, string rabbit, string exchanges, TimeProvider clock)
        {
            // Development: the local PostgreSQL and RabbitMQ have development passwords.
            var prefix = $"itest-triage-{Guid.NewGuid():N}"[..24];
            var builder = Host.CreateApplicationBuilder(
                new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
            builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Triage", "appsettings.json"),
                optional: false);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = database,
                ["ConnectionStrings:RabbitMq"] = rabbit,
                ["Messaging:QueuePrefix"] = prefix,
                ["Messaging:ExchangePrefix"] = exchanges,
                ["Triage:OverdueCheckInterval"] = "00:30:00",
                ["PersonalData:MasterKey"] =
                    Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            });
            builder.Services.AddSingleton(clock);
            builder.AddTriage();
            var host = builder.Build();
            await host.StartAsync();
            await host.Services.GetRequiredService<IBusControl>()
                .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            return new TriageHost(host, clock);
        }

        /// <summary>
        /// Takes in a case as the CaseOpened consumer does, with one threat <paramref name="daysAgo"/> days before the
        /// clock's today.
        /// </summary>
        public async Task<Guid> TakeInAsync(ThreatType type, int daysAgo)
        {
            var id = Guid.CreateVersion7();
            var now = _clock.GetUtcNow();
            var threat = new ThreatSummary(Guid.CreateVersion7(), type, PerpetratorCategory.Unknown,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(-daysAgo), "CO");
            using var _ = OperationContext.Begin(OperationContext.System("itest"));
            await using var session = Store.LightweightSession();
            var decisions = _host.Services.GetRequiredService<TriageDecisions>();
            var reference = $"PC-2026-{Random.Shared.Next(100000, 999999)}";
            var takenIn = decisions.TakeIn(
                id, reference, "CO", "officer-1", now, [threat], 1, new ConsentScopes(true, false), now);
            takenIn.StartIn(session, now);
            await session.SaveChangesAsync();
            return id;
        }

        public async Task ChangeAsync(Guid id, Func<TriageDecisions, TriageCase, DateTimeOffset, Decided> decide)
        {
            using var _ = OperationContext.Begin(OperationContext.System("itest"));
            await using var session = Store.LightweightSession();
            var stream = await session.Events.FetchForWriting<TriageCase>(id);
            var now = _clock.GetUtcNow();
            var decisions = _host.Services.GetRequiredService<TriageDecisions>();
            decide(decisions, stream.Aggregate!, now).AppendTo(session, stream, now);
            await session.SaveChangesAsync();
        }

        public Task OutboxEmptiedAsync() => Outbox.EmptiedAsync(Store);

        public async Task<TriageCase> LoadAsync(Guid id)
        {
            await using var session = Store.QuerySession();
            return (await session.LoadAsync<TriageCase>(id))!;
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
