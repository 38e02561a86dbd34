using JasperFx;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;
using Protection.EmergencyAssistance;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.FlaggingOverdue;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.ServiceDefaults;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.Testing;

namespace Protection.IntegrationTests;

/// <summary>
/// Emergency assistance on real PostgreSQL and RabbitMQ: the guarantee under the in-process fund lock
/// (two replicas approving against the same fund version cannot both reserve), and the deadline job.
/// </summary>
public sealed class FundReservationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private IHost? _host;
    private string _database = string.Empty;
    private string _rabbit = string.Empty;

    private string _exchanges = string.Empty;

    private IDocumentStore Store => _host!.Services.GetRequiredService<IDocumentStore>();

    private static readonly AssistanceOptions Options = new();

    /// <summary>A grant of the case requested from the fund (no key: the purpose stands in sealed).</summary>
    private static GrantRequestFiled Filed(
        CaseRecord record, Fund fund, decimal amount, GrantCategory category, DateTimeOffset now) =>
        RequestGrant.Decide(
            Options, record, fund, amount, "EUR", category, new SealedData("sealed"), 1, "officer-1", now).Value!;

    private static Guid Start(IDocumentSession session, GrantRequestFiled filed, DateTimeOffset now) =>
        StreamChanges.Start(session, filed.GrantId, filed, [], now).Id;

    public async Task InitializeAsync()
    {
        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        _rabbit = rabbit;
        _database = await TestInfrastructure.CreateDatabaseAsync("funds");
        // Local PostgreSQL and RabbitMQ have development passwords.
        var prefix = $"itest-assist-{Guid.NewGuid():N}"[..24];
        _exchanges = $"{prefix}.";
        var builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database,
            ["ConnectionStrings:RabbitMq"] = rabbit,
            ["Messaging:QueuePrefix"] = prefix,
            ["Messaging:ExchangePrefix"] = _exchanges,
            ["PersonalData:MasterKey"] = Convert.ToBase64String(
                System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.AddAssistance();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public Task DisposeAsync() => TestInfrastructure.StopAndDropAsync(_host, _database);

    [Fact]
    public async Task Two_writers_reserving_from_the_same_fund_version_cannot_both_commit()
    {
        using var _ = OperationContext.Begin(OperationContext.System("itest"));
        var now = _clock.GetUtcNow();
        var fundId = Guid.CreateVersion7();
        var record = new CaseRecord
        {
            Id = Guid.CreateVersion7(), Reference = "PC-2026-999999", Country = "CO", OpenedBy = "officer-1",
            Organisation = "org-a",
        };
        Guid first, second;
        await using (var setup = Store.LightweightSession())
        {
            setup.Events.StartStream<Fund>(
                fundId, new FundCreated(fundId, "Rapid response", "EUR", 1_000m, "funder-0", now, "org-a"));
            var fund = new FundCreated(fundId, "Rapid response", "EUR", 1_000m, "funder-0", now, "org-a").Start();
            first = Start(setup, Filed(record, fund, 600m, GrantCategory.Legal, now), now);
            second = Start(setup, Filed(record, fund, 600m, GrantCategory.Legal, now), now);
            await setup.SaveChangesAsync();
        }

        // Both "replicas" read the fund at the same version and see 1,000 available.
        await using var a = Store.LightweightSession();
        await using var b = Store.LightweightSession();
        var (grantA, fundA) =
            (await a.Events.FetchForWriting<Grant>(first), await a.Events.FetchForWriting<Fund>(fundId));
        var (grantB, fundB) =
            (await b.Events.FetchForWriting<Grant>(second), await b.Events.FetchForWriting<Fund>(fundId));
        var approveA = DecideGrant.Approve(Options, grantA.Aggregate!, fundA.Aggregate!, "funder-a", null, now);
        var approveB = DecideGrant.Approve(Options, grantB.Aggregate!, fundB.Aggregate!, "funder-b", null, now);
        approveA.Refusal.ShouldBeNull();
        approveB.Refusal.ShouldBeNull();
        StreamChanges.Append(a, grantA, approveA.Value!.GrantEvents, now);
        StreamChanges.Append(a, fundA, approveA.Value!.FundEvents, now);
        StreamChanges.Append(b, grantB, approveB.Value!.GrantEvents, now);
        StreamChanges.Append(b, fundB, approveB.Value!.FundEvents, now);

        await a.SaveChangesAsync();
        await Should.ThrowAsync<ConcurrencyException>(() => b.SaveChangesAsync());

        await using var check = Store.QuerySession();
        var after = (await check.LoadAsync<Fund>(fundId))!;
        after.Reserved.ShouldBe(600m);
        after.Available.ShouldBe(400m);
        // Nothing of the losing decision was stored.
        (await check.LoadAsync<Grant>(second))!.Status.ShouldBe(GrantStatus.Pending);
    }

    [Fact]
    public async Task An_undecided_grant_is_flagged_overdue_once_and_that_is_published_once()
    {
        await using var queue =
            await RawQueue.BindAsync(_rabbit, _exchanges + "protection.assistance.grant-decision-overdue.v1");
        Guid grantId;
        using (OperationContext.Begin(OperationContext.System("itest")))
        await using (var setup = Store.LightweightSession())
        {
            var now = _clock.GetUtcNow();
            var fundId = Guid.CreateVersion7();
            var created = new FundCreated(fundId, "Rapid response", "EUR", 1_000m, "funder-0", now, "org-a");
            setup.Events.StartStream<Fund>(fundId, created);
            var record = new CaseRecord
            {
                Id = Guid.CreateVersion7(), Reference = "PC-2026-999998", Country = "CO", OpenedBy = "officer-1",
                Organisation = "org-a",
            };
            var filed = Filed(record, created.Start(), 300m, GrantCategory.MedicalAndPsychosocial, now);
            grantId = Start(setup, filed, now);
            await setup.SaveChangesAsync();
        }

        var deadlines = _host!.Services.GetRequiredService<GrantDeadlines>();
        _clock.Advance(TimeSpan.FromHours(71));
        (await deadlines.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

        _clock.Advance(TimeSpan.FromHours(2)); // past the 72 h decision deadline; the periodic pass may run now too
        await deadlines.RunOnceAsync(CancellationToken.None);
        (await deadlines.RunOnceAsync(CancellationToken.None)).ShouldBe(0);

        await using var check = Store.QuerySession();
        (await check.LoadAsync<Grant>(grantId))!.DecisionOverdueFlagged.ShouldBeTrue();
        (await check.Events.FetchStreamAsync(grantId)).Count(e => e.Data is DecisionOverdueFlagged).ShouldBe(1);

        var message = await queue.WaitForMessageContainingAsync(grantId.ToString(), TimeSpan.FromSeconds(10));
        message.ShouldContain("\"dueAt\"");
        // Everything the service committed is published (its outbox is empty), so a second flag's message would
        // be on the queue already: read the queue to its end.
        await Outbox.EmptiedAsync(Store);
        var copies = (await queue.SettleAsync(TimeSpan.FromSeconds(10)))
            .Where(m => m.Contains(grantId.ToString(), StringComparison.Ordinal))
            .Select(m => System.Text.Json.JsonDocument.Parse(m).RootElement.GetProperty("messageId").GetGuid())
            .Append(System.Text.Json.JsonDocument.Parse(message).RootElement.GetProperty("messageId").GetGuid());
        copies.Distinct().Count().ShouldBe(1); // redeliveries of the same event only
    }
}
