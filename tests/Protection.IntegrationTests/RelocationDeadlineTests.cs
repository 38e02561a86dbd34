using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Protection.Contracts;
using Protection.Contracts.Assistance;
using Protection.Contracts.Relocation;
using Protection.Relocations;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.PersonalData;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// The relocation module on real PostgreSQL and RabbitMQ with a fake clock: a missed check-in is
/// published once per deadline across a restart, and a paid relocation grant delivered twice funds once.
/// </summary>
public sealed class RelocationDeadlineTests : IAsyncLifetime
{
    private const string MissedExchange = "protection.relocation.check-in-missed.v1";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(12);
    private string _database = string.Empty;
    private string _rabbit = string.Empty;

    public async Task InitializeAsync()
    {
        (_, _rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("relocation");
    }

    public Task DisposeAsync() => TestInfrastructure.DropDatabaseAsync(_database);

    [Fact]
    public async Task A_missed_check_in_is_published_once_per_deadline_even_across_a_restart()
    {
        // Delivery is at least once (the outbox sweep may hand the broker a row twice): "once" is one event id per deadline.
        await using var queue = await RawQueue.BindAsync(_rabbit, MissedExchange);
        var published = new Dictionary<Guid, JsonElement>();
        async Task<int> PublishedFor(Guid relocationId, int atLeast)
        {
            await Eventually.Get(async () =>
            {
                foreach (var body in await queue.DrainAsync())
                {
                    var envelope = JsonDocument.Parse(body).RootElement;
                    published[envelope.GetProperty("messageId").GetGuid()] = envelope.GetProperty("message").Clone();
                }

                return Count(relocationId) >= atLeast ? published : null;
            }, TimeSpan.FromSeconds(10), $"{atLeast} CheckInMissed for {relocationId}");
            return Count(relocationId);
        }

        int Count(Guid relocationId) => published.Values.Count(m => m.GetProperty("relocationId").GetGuid() == relocationId);

        var clock = new FakeTimeProvider(Start);
        Guid away;
        await using (var first = await RelocationHost.StartAsync(_database, _rabbit, clock))
        {
            away = await first.ArrivedAsync(Guid.CreateVersion7());
            clock.Advance(Week + Grace - TimeSpan.FromMinutes(1));
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0); // due, but within the grace period

            clock.Advance(TimeSpan.FromMinutes(2));
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(1);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await PublishedFor(away, 1)).ShouldBe(1);
            (await first.LoadAsync(away)).MissedCheckInFlaggedFor.ShouldBe(Start + Week);
        }

        // The service restarts later: the deadline already flagged is not flagged again.
        clock.Advance(TimeSpan.FromHours(3));
        await using (var second = await RelocationHost.StartAsync(_database, _rabbit, clock))
        {
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            // The defender checks in late; the next deadline is a week from then, and missing it is a new alert.
            var checkedInAt = clock.GetUtcNow();
            await second.ChangeAsync(away, (r, now) => RelocationRules.CheckIn(r, CheckInStatus.Safe, null, "officer-1", now).Events);
            (await second.LoadAsync(away)).MissedCheckInFlaggedFor.ShouldBeNull();
            clock.Advance(Week + Grace + TimeSpan.FromMinutes(1));
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(1);
            (await PublishedFor(away, 2)).ShouldBe(2);
            published.Values.Where(m => m.GetProperty("relocationId").GetGuid() == away)
                .Select(m => m.GetProperty("dueAt").GetDateTimeOffset())
                .ShouldBe([Start + Week, checkedInAt + Week], ignoreOrder: true);
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // a duplicate still in flight would arrive now
        (await PublishedFor(away, 2)).ShouldBe(2);
    }

    [Fact]
    public async Task A_paid_relocation_grant_delivered_twice_funds_the_planned_relocation_once_and_other_grants_fund_nothing()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await RelocationHost.StartAsync(_database, _rabbit, clock);
        var caseId = Guid.CreateVersion7();
        var relocationId = await host.PlannedAsync(caseId);

        var legal = Disbursed(caseId, GrantCategory.Legal);
        await host.Bus.Publish(legal, context => context.MessageId = legal.Metadata.EventId);
        var relocation = Disbursed(caseId, GrantCategory.UrgentRelocation);
        for (var i = 0; i < 2; i++)
        {
            await host.Bus.Publish(relocation, context => context.MessageId = relocation.Metadata.EventId);
        }

        await Eventually.Get(async () => (await host.LoadAsync(relocationId)).State == RelocationState.Funded ? "funded" : null, TimeSpan.FromSeconds(15), "the relocation to be funded");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // let the copy and the other grant arrive

        var funded = await host.LoadAsync(relocationId);
        funded.FundedBy.ShouldBe(relocation.GrantId);
        funded.Funding.ShouldHaveSingleItem().GrantId.ShouldBe(relocation.GrantId);
        var events = await host.EventsAsync(relocationId);
        events.Count(e => e is FundingReceived).ShouldBe(1);
        events.Count(e => e is RelocationFunded).ShouldBe(1);
    }

    private static GrantDisbursed Disbursed(Guid caseId, GrantCategory category) => new(
        caseId, "PC-2026-000777", Guid.CreateVersion7(), Guid.CreateVersion7(), category, 1, 2_500m, "EUR", 2_500m, true,
        new EventMetadata(Guid.CreateVersion7(), Start, "funder-1", "funder", Guid.NewGuid().ToString(), Guid.NewGuid().ToString()));

    /// <summary>The relocation module as the service wires it, on a fake clock, with queues of its own.</summary>
    private sealed class RelocationHost : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly TimeProvider _clock;

        private RelocationHost(IHost host, TimeProvider clock)
        {
            _host = host;
            _clock = clock;
        }

        public RelocationWatch Watch => _host.Services.GetRequiredService<RelocationWatch>();

        public IBus Bus => _host.Services.GetRequiredService<IBus>();

        private IDocumentStore Store => _host.Services.GetRequiredService<IDocumentStore>();

        private RelocationRules Rules => _host.Services.GetRequiredService<RelocationRules>();

        public static async Task<RelocationHost> StartAsync(string database, string rabbit, TimeProvider clock)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = database,
                ["ConnectionStrings:RabbitMq"] = rabbit,
                ["Messaging:QueuePrefix"] = $"itest-reloc-{Guid.NewGuid():N}"[..24],
                ["Relocation:WatchInterval"] = "365.00:00:00", // its own pass runs at start only; the test runs the others
                ["PersonalData:MasterKey"] = Convert.ToBase64String(new byte[32]),
            });
            builder.Services.AddSingleton(clock);
            builder.AddRelocation();
            var host = builder.Build();
            await host.StartAsync();
            await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            return new RelocationHost(host, clock);
        }

        /// <summary>A relocation requested and planned for a case this service knows, as the HTTP commands leave it.</summary>
        public async Task<Guid> PlannedAsync(Guid caseId)
        {
            var relocationId = Guid.CreateVersion7();
            using (OperationContext.Begin(OperationContext.System("itest")))
            {
                await using var session = Store.LightweightSession();
                var now = _clock.GetUtcNow();
                var @case = new CaseRecord { Id = caseId, Reference = "PC-2026-000777", Country = "CO", OpenedBy = "officer-1" };
                var requested = Rules.Request(@case, relocationId, RelocationKind.Regional, RelocationReason.IncreasedRisk, 1, 0, null, "officer-1", now);
                RelocationChanges.Start(session, requested.Events, now);
                @case.ActiveRelocationId = relocationId;
                session.Store(@case);
                await session.SaveChangesAsync();
            }

            var plan = new PlanProposal("EC", "Quito", "Host", DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime), null, "Bus at night with a companion.", null, null);
            await ChangeAsync(relocationId, (r, now) => Rules.Plan(r, plan, _ => new SealedData("sealed"), "officer-1", now).Events);
            return relocationId;
        }

        /// <summary>A planned relocation, funded, departed and arrived now: its first check-in is due in a week.</summary>
        public async Task<Guid> ArrivedAsync(Guid caseId)
        {
            var id = await PlannedAsync(caseId);
            var grant = Guid.CreateVersion7();
            await ChangeAsync(id, (r, now) => RelocationRules.Fund(r, new Funding(grant, 1, 2_500m, "EUR", now)));
            await ChangeAsync(id, (r, now) => Rules.Depart(r, "officer-1", now).Events);
            await ChangeAsync(id, (r, now) => RelocationRules.Arrive(r, "officer-1", now).Events);
            return id;
        }

        public async Task ChangeAsync(Guid id, Func<Relocation, DateTimeOffset, IReadOnlyList<object>> decide)
        {
            using var _ = OperationContext.Begin(OperationContext.System("itest"));
            await using var session = Store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Relocation>(id);
            var now = _clock.GetUtcNow();
            var events = decide(stream.Aggregate!, now);
            events.ShouldNotBeEmpty();
            RelocationChanges.Append(session, stream, events, now);
            await session.SaveChangesAsync();
        }

        public async Task<Relocation> LoadAsync(Guid id)
        {
            await using var session = Store.QuerySession();
            return (await session.LoadAsync<Relocation>(id))!;
        }

        public async Task<IReadOnlyList<object>> EventsAsync(Guid id)
        {
            await using var session = Store.QuerySession();
            return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToArray();
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
