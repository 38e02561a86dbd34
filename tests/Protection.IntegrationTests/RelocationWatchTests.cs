using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Protection.Contracts;
using Protection.Contracts.Assistance;
using Protection.Contracts.Relocation;
using Protection.Relocations;
using Protection.Relocations.Cases;
using Protection.Relocations.Relocations;
using Protection.Relocations.Relocations.CheckingIn;
using Protection.Relocations.Relocations.Extending;
using Protection.Relocations.Relocations.Financing;
using Protection.Relocations.Relocations.Moving;
using Protection.Relocations.Relocations.Planning;
using Protection.Relocations.Relocations.Requesting;
using Protection.Relocations.Relocations.Watching;
using Protection.ServiceDefaults;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// The relocation watch and the relocation-funding consumer of the real relocation module, on real
/// PostgreSQL and RabbitMQ, with a fake clock and a database per test: a missed check-in and an
/// approaching end of stay are each flagged and published once per deadline (across restarts), and a
/// paid urgent-relocation grant delivered twice funds the planned relocation once.
/// </summary>
public sealed class RelocationWatchTests : IAsyncLifetime
{
    private const string MissedExchange = "protection.relocation.check-in-missed.v1";
    private const string StayEndingExchange = "protection.relocation.stay-ending.v1";
    private const string ProgressedExchange = "protection.relocation.relocation-progressed.v1";

    // 09:00 UTC: deadlines computed from dates (the end of a stay) fall at midnight, not on the hour of the test.
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Start.UtcDateTime);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);   // Relocation:DefaultCheckInInterval
    private static readonly TimeSpan Grace = TimeSpan.FromHours(12); // Relocation:CheckInGrace
    private static readonly TimeSpan Notice = TimeSpan.FromDays(14); // Relocation:StayEndingNotice
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private string _database = string.Empty;
    private string _rabbit = string.Empty;

    /// <summary>This class's exchanges (the hosts it starts, one after another, publish to the same ones).</summary>
    private readonly string _exchanges = $"itest-{Guid.NewGuid():N}"[..20] + ".";

    public async Task InitializeAsync()
    {
        (_, _rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("relocwatch");
    }

    public Task DisposeAsync() => TestInfrastructure.DropDatabaseAsync(_database);

    [Fact]
    public async Task
        A_missed_check_in_is_flagged_after_its_grace_period_and_published_once_per_deadline_across_restarts()
    {
        await using var missed = await PublishedEvents.BindAsync(_rabbit, _exchanges + MissedExchange, "relocationId");
        var clock = new FakeTimeProvider(Start);
        Guid caseId = Guid.CreateVersion7(), away;
        DateTimeOffset firstDue = Start + Week, secondDue;

        await using (var first = await RelocationHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            away = await first.ArrivedAsync(caseId);
            (await first.LoadAsync(away)).NextCheckInDueAt.ShouldBe(firstDue);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            // Due, but still within the grace period: nothing yet.
            clock.Advance(firstDue + Grace - Minute - clock.GetUtcNow());
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await first.LoadAsync(away)).MissedCheckInFlaggedFor.ShouldBeNull();
            (await first.EventsAsync(away)).OfType<CheckInMissedFlagged>().ShouldBeEmpty();

            // Past due + grace: flagged once; the next pass finds it flagged already.
            clock.Advance(2 * Minute);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(1);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await first.LoadAsync(away)).MissedCheckInFlaggedFor.ShouldBe(firstDue);
            (await first.EventsAsync(away)).OfType<CheckInMissedFlagged>().ShouldHaveSingleItem()
                .DueAt.ShouldBe(firstDue);
            (await missed.AboutAsync(away, atLeast: 1)).Count.ShouldBe(1);
            await first.OutboxEmptiedAsync();
        }

        // The service restarts hours later, on the same database: the deadline already flagged is not flagged again.
        clock.Advance(TimeSpan.FromHours(3));
        await using (var second = await RelocationHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await second.EventsAsync(away)).OfType<CheckInMissedFlagged>().Count().ShouldBe(1);

            // The defender checks in late: the next check-in is due a week from now, and missing it is a new alert.
            var checkedInAt = clock.GetUtcNow();
            secondDue = checkedInAt + Week;
            await second.ChangeAsync(away, (r, now) =>
                RecordCheckIn.Decide(r, CheckInStatus.Safe, null, "officer-1", now).Value!);
            var checkedIn = await second.LoadAsync(away);
            checkedIn.NextCheckInDueAt.ShouldBe(secondDue);
            checkedIn.MissedCheckInFlaggedFor.ShouldBeNull();
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            clock.Advance(secondDue + Grace - Minute - clock.GetUtcNow());
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            clock.Advance(2 * Minute);
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(1);
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await second.LoadAsync(away)).MissedCheckInFlaggedFor.ShouldBe(secondDue);
            (await missed.AboutAsync(away, atLeast: 2)).Count.ShouldBe(2);
            await second.OutboxEmptiedAsync();
        }

        // And again: a third start flags nothing more.
        clock.Advance(TimeSpan.FromHours(1));
        await using (var third = await RelocationHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            (await third.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await third.EventsAsync(away)).OfType<CheckInMissedFlagged>().Select(e => e.DueAt)
                .ShouldBe([firstDue, secondDue]);
            await third.OutboxEmptiedAsync();
        }

        // Delivery is at least once (the outbox sweep may hand the broker a row twice): "once" is one message id
        // per deadline. Every host published all it committed and stopped: a duplicate would be on the queue already.
        var messages = await missed.SettledAboutAsync(away);
        messages.Count.ShouldBe(2);
        messages.Select(m => m.GetProperty("dueAt").GetDateTimeOffset())
            .ShouldBe([firstDue, secondDue], ignoreOrder: true);
        messages.ShouldAllBe(m => m.GetProperty("caseId").GetGuid() == caseId);
    }

    [Fact]
    public async Task An_approaching_end_of_stay_is_flagged_once_per_end_date_and_again_after_an_extension()
    {
        await using var ending =
            await PublishedEvents.BindAsync(_rabbit, _exchanges + StayEndingExchange, "relocationId");
        var clock = new FakeTimeProvider(Start);
        var firstEnd = Today.AddDays(30);
        var secondEnd = Today.AddDays(60);
        // 2026-12-12T00:00Z: the end of the stay's last day, less 14 days
        var firstNotice = Relocation.EndOf(firstEnd) - Notice;
        var secondNotice = Relocation.EndOf(secondEnd) - Notice;
        Guid away;

        await using (var first = await RelocationHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            // Check-ins every 90 days, so that no missed check-in falls due while the stay ends.
            away = await first.ArrivedAsync(Guid.CreateVersion7(), endOn: firstEnd, checkInEveryDays: 90);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            clock.Advance(firstNotice - Minute - clock.GetUtcNow());
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await first.LoadAsync(away)).StayEndingFlaggedFor.ShouldBeNull();
            (await first.EventsAsync(away)).OfType<StayEndingFlagged>().ShouldBeEmpty();

            clock.Advance(2 * Minute);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(1);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await first.LoadAsync(away)).StayEndingFlaggedFor.ShouldBe(firstEnd);
            (await first.EventsAsync(away)).OfType<StayEndingFlagged>().ShouldHaveSingleItem().EndOn.ShouldBe(firstEnd);
            (await ending.AboutAsync(away, atLeast: 1)).Count.ShouldBe(1);

            // Days later, still before the end: flagged already, nothing new.
            clock.Advance(TimeSpan.FromDays(3));
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            // The stay is extended by a month: the new end date is not within the notice period yet.
            await first.ChangeAsync(away, (r, now) => ExtendStay.Decide(
                    first.Rules,
                    r,
                    secondEnd,
                    "The threat at home persists.",
                    _ => new SealedData("sealed"),
                    "officer-1",
                    now)
                .Value!);
            (await first.LoadAsync(away)).Plan!.EndOn.ShouldBe(secondEnd);
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

            clock.Advance(secondNotice - Minute - clock.GetUtcNow());
            (await first.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await first.EventsAsync(away)).OfType<StayEndingFlagged>().Count().ShouldBe(1);
            await first.OutboxEmptiedAsync();
        }

        // The service is down when the new end date comes within the notice period: the pass it runs
        // when it starts again flags it, once.
        clock.Advance(2 * Minute);
        await using (var second = await RelocationHost.StartAsync(_database, _rabbit, _exchanges, clock))
        {
            await Eventually.Get(
                async () => (await second.LoadAsync(away)).StayEndingFlaggedFor == secondEnd ? "flagged" : null,
                TimeSpan.FromSeconds(10), "the watch's start-up pass to flag the new end date");
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            (await ending.AboutAsync(away, atLeast: 2)).Count.ShouldBe(2);

            clock.Advance(TimeSpan.FromDays(1));
            (await second.Watch.RunOnceAsync(CancellationToken.None)).ShouldBe(0);
            var events = await second.EventsAsync(away);
            events.OfType<StayEndingFlagged>().Select(e => e.EndOn).ShouldBe([firstEnd, secondEnd]);
            events.OfType<CheckInMissedFlagged>().ShouldBeEmpty();
            await second.OutboxEmptiedAsync();
        }

        var messages = await ending.SettledAboutAsync(away);
        messages.Count.ShouldBe(2);
        messages.Select(m => DateOnly.Parse(m.GetProperty("endOn").GetString()!))
            .ShouldBe([firstEnd, secondEnd], ignoreOrder: true);
    }

    [Fact]
    public async Task
        A_paid_relocation_grant_delivered_twice_funds_the_planned_relocation_once_and_a_legal_grant_funds_nothing()
    {
        await using var progressed =
            await PublishedEvents.BindAsync(_rabbit, _exchanges + ProgressedExchange, "relocationId");
        var clock = new FakeTimeProvider(Start);
        await using var host = await RelocationHost.StartAsync(_database, _rabbit, _exchanges, clock);
        var caseId = Guid.CreateVersion7();
        var relocationId = await host.PlannedAsync(caseId);
        var planned = await host.EventsAsync(relocationId);

        // Another category is not relocation money: handled (its marker is written), and nothing changes.
        var legal = Disbursed(caseId, GrantCategory.Legal, tranche: 1);
        await host.Bus.Publish(legal, context => context.MessageId = legal.Metadata.EventId);
        await host.HandledAsync(legal.Metadata.EventId);
        var afterLegal = await host.LoadAsync(relocationId);
        afterLegal.State.ShouldBe(RelocationState.Planned);
        afterLegal.Funding.ShouldBeEmpty();
        afterLegal.FundedBy.ShouldBeNull();
        (await host.EventsAsync(relocationId)).Count.ShouldBe(planned.Count);
        (await host.CaseAsync(caseId)).UnassignedFunding.ShouldBeEmpty();

        // The same urgent-relocation payment, delivered twice with one message id (as the outbox re-publishes).
        var relocation = Disbursed(caseId, GrantCategory.UrgentRelocation, tranche: 1);
        for (var i = 0; i < 2; i++)
        {
            await host.Bus.Publish(relocation, context => context.MessageId = relocation.Metadata.EventId);
        }

        await Eventually.Get(
            async () => (await host.LoadAsync(relocationId)).State == RelocationState.Funded ? "funded" : null,
            TimeSpan.FromSeconds(15),
            "the relocation to be funded");
        await host.Consumed.WaitForAsync(relocation.Metadata.EventId, times: 2); // the copy handled too

        var funded = await host.LoadAsync(relocationId);
        funded.State.ShouldBe(RelocationState.Funded);
        funded.FundedBy.ShouldBe(relocation.GrantId);
        var funding = funded.Funding.ShouldHaveSingleItem();
        funding.GrantId.ShouldBe(relocation.GrantId);
        funding.Amount.ShouldBe(2_500m);
        var events = await host.EventsAsync(relocationId);
        events.OfType<FundingReceived>().ShouldHaveSingleItem().GrantId.ShouldBe(relocation.GrantId);
        events.OfType<RelocationFunded>().ShouldHaveSingleItem().GrantId.ShouldBe(relocation.GrantId);
        events.Count.ShouldBe(planned.Count + 2);
        (await host.CaseAsync(caseId)).UnassignedFunding.ShouldBeEmpty();

        // Planned → Funded is published once: one message id. Everything committed is published (the outbox
        // is empty), so a second one would be on the queue already.
        await host.OutboxEmptiedAsync();
        await progressed.AboutAsync(relocationId, atLeast: 2); // Requested → Planned, Planned → Funded
        var toFunded = (await progressed.SettledAboutAsync(relocationId))
            .Where(m => m.GetProperty("state").GetString() == nameof(RelocationState.Funded))
            .ToArray();
        toFunded.ShouldHaveSingleItem().GetProperty("from").GetString().ShouldBe(nameof(RelocationState.Planned));
    }

    private static GrantDisbursed Disbursed(Guid caseId, GrantCategory category, int tranche) => new(
        caseId,
        "PC-2026-000778",
        Guid.CreateVersion7(),
        Guid.CreateVersion7(),
        category,
        tranche,
        2_500m,
        "EUR",
        2_500m,
        true,
        new EventMetadata(
            Guid.CreateVersion7(), Start, "funder-1", "funder", Guid.NewGuid().ToString(), Guid.NewGuid().ToString()));

    /// <summary>
    /// What was published on one exchange, by message id (copies of one message count once), read
    /// from an exclusive queue bound before anything is published.
    /// </summary>
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

        public RelocationOptions Rules => _host.Services.GetRequiredService<IOptions<RelocationOptions>>().Value;

        public IBus Bus => _host.Services.GetRequiredService<IBus>();

        public ConsumeLog Consumed => _host.Services.GetRequiredService<ConsumeLog>();

        private IDocumentStore Store => _host.Services.GetRequiredService<IDocumentStore>();

        public static async Task<RelocationHost> StartAsync(
            string database, string rabbit, string exchanges, TimeProvider clock)
        {
            // Development: local PostgreSQL and RabbitMQ have development passwords.
            var prefix = $"itest-rwatch-{Guid.NewGuid():N}"[..24];
            var builder = Host.CreateApplicationBuilder(
                new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = database,
                ["ConnectionStrings:RabbitMq"] = rabbit,
                ["Messaging:QueuePrefix"] = prefix,
                ["Messaging:ExchangePrefix"] = exchanges,
                // Timeout.InfiniteTimeSpan: the watch runs its pass at start, then never on its own (a PeriodicTimer
                // refuses periods over ~49.7 days, and a shorter one would tick as the fake clock jumps, racing the
                // test's passes).
                ["Relocation:WatchInterval"] = "-00:00:00.001",
                ["PersonalData:MasterKey"] =
                    Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            });
            builder.Services.AddSingleton(clock);
            builder.Services.AddSingleton<ConsumeLog>();
            builder.Services.AddConsumeObserver(services => services.GetRequiredService<ConsumeLog>());
            builder.AddRelocation();
            var host = builder.Build();
            await host.StartAsync();
            await host.Services.GetRequiredService<IBusControl>()
                .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            host.Services.GetRequiredService<RelocationWatch>().ExecuteTask.ShouldNotBeNull().IsCompleted
                .ShouldBeFalse("the watch's own loop ended at start (a bad Relocation:WatchInterval?)");
            return new RelocationHost(host, clock);
        }

        /// <summary>
        /// A relocation requested and planned (starting today) for a case this service knows, as the HTTP commands
        /// leave it.
        /// </summary>
        public async Task<Guid> PlannedAsync(Guid caseId, DateOnly? endOn = null, int? checkInEveryDays = null)
        {
            var relocationId = Guid.CreateVersion7();
            using (OperationContext.Begin(OperationContext.System("itest")))
            {
                await using var session = Store.LightweightSession();
                var now = _clock.GetUtcNow();
                var @case = new CaseRecord
                {
                    Id = caseId,
                    Reference = "PC-2026-000778",
                    Country = "CO",
                    OpenedBy = "officer-1",
                };
                var requested = RequestRelocation.Decide(
                    Rules, @case, relocationId, RelocationKind.Regional, RelocationReason.IncreasedRisk, 1, 0,
                    checkInEveryDays, "officer-1", now);
                requested.Refusal.ShouldBeNull();
                var events = requested.Value!;
                StreamChanges.Start(session, relocationId, (RelocationOpened)events[0], events.Skip(1).ToArray(), now);
                @case.ActiveRelocationId = relocationId;
                session.Store(@case);
                await session.SaveChangesAsync();
            }

            var plan = new PlanProposal(
                "EC",
                "Quito",
                "Host",
                DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime),
                endOn,
                "Bus at night with a companion.",
                null,
                null);
            await ChangeAsync(relocationId, (r, now) =>
                PlanRelocation.Decide(Rules, r, plan, _ => new SealedData("sealed"), "officer-1", now).Value!);
            (await LoadAsync(relocationId)).State.ShouldBe(RelocationState.Planned);
            return relocationId;
        }

        /// <summary>
        /// Planned, funded, departed and arrived now: the first check-in is due one check-in interval from now.
        /// </summary>
        public async Task<Guid> ArrivedAsync(Guid caseId, DateOnly? endOn = null, int? checkInEveryDays = null)
        {
            var id = await PlannedAsync(caseId, endOn, checkInEveryDays);
            var grant = Guid.CreateVersion7();
            await ChangeAsync(id, (r, now) => FundRelocation.Decide(r, new Funding(grant, 1, 2_500m, "EUR", now)));
            await ChangeAsync(id, (r, now) => MoveRelocation.Depart(r, "officer-1", now).Value!);
            await ChangeAsync(id, (r, now) => MoveRelocation.Arrive(r, "officer-1", now).Value!);
            var arrived = await LoadAsync(id);
            arrived.State.ShouldBe(RelocationState.Arrived);
            arrived.Away.ShouldBeTrue();
            arrived.Version.ShouldBe(6); // requested, planned, funding received, funded, departed, arrived: the ETag
            return id;
        }

        /// <summary>
        /// Appends what <paramref name="decide"/> returns at the version read, with its messages, as a command does.
        /// </summary>
        public async Task ChangeAsync(Guid id, Func<Relocation, DateTimeOffset, IReadOnlyList<object>> decide)
        {
            using var _ = OperationContext.Begin(OperationContext.System("itest"));
            await using var session = Store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Relocation>(id);
            var now = _clock.GetUtcNow();
            var events = decide(stream.Aggregate!, now);
            events.ShouldNotBeEmpty();
            StreamChanges.Append(session, stream, events, now);
            await session.SaveChangesAsync();
        }

        public Task OutboxEmptiedAsync() => Outbox.EmptiedAsync(Store);

        public async Task<Relocation> LoadAsync(Guid id)
        {
            await using var session = Store.QuerySession();
            return (await session.LoadAsync<Relocation>(id)).ShouldNotBeNull();
        }

        public async Task<CaseRecord> CaseAsync(Guid caseId)
        {
            await using var session = Store.QuerySession();
            return (await session.LoadAsync<CaseRecord>(caseId)).ShouldNotBeNull();
        }

        public async Task<IReadOnlyList<object>> EventsAsync(Guid id)
        {
            await using var session = Store.QuerySession();
            return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToArray();
        }

        /// <summary>
        /// Waits until <see cref="FundRelocation"/> has committed its handling of the message (its idempotency marker).
        /// </summary>
        public Task HandledAsync(Guid messageId) => Eventually.Get(async () =>
        {
            await using var session = Store.QuerySession();
            return await session.LoadAsync<ProcessedMessage>($"{nameof(FundRelocation)}:{messageId:N}");
        }, TimeSpan.FromSeconds(15), $"{nameof(FundRelocation)} to handle {messageId}");

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
