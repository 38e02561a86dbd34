using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Protection.EmergencyAssistance;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.EmergencyAssistance.Grants.Withdrawing;
using Protection.ServiceDefaults;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.PersonalData;
using Protection.Testing;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;

namespace Protection.IntegrationTests;

/// <summary>
/// Grant streams written before four of their event types were renamed (GrantRequested, GrantApproved,
/// GrantRejected and GrantWithdrawn, now GrantRequestFiled, GrantAwarded, GrantDeclined and
/// GrantRequestWithdrawn) still load as the new types, fold to the same grant and verify: the stored
/// name, which the hash covers, never changed.
/// </summary>
public sealed class RecordedGrantStreamsTests : IAsyncLifetime
{
    private const string Schema = AssistanceModule.ServiceName;

    private static readonly AssistanceOptions Options = new();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private IHost? _host;
    private string _database = string.Empty;

    private IDocumentStore Store => _host!.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("grnames");
        // Local PostgreSQL and RabbitMQ have development passwords.
        var prefix = $"itest-grnames-{Guid.NewGuid():N}"[..24];
        var builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database,
            ["ConnectionStrings:RabbitMq"] = rabbit,
            ["Messaging:QueuePrefix"] = prefix,
            ["Messaging:ExchangePrefix"] = $"{prefix}.",
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
    public async Task A_grant_stream_recorded_under_the_old_type_names_loads_folds_and_verifies()
    {
        var (awarded, declined, withdrawn) = await GrantsAsync();
        var streams = new[] { awarded, declined, withdrawn };
        Grant[] before;
        await using (var query = Store.QuerySession())
        {
            before = (await query.LoadManyAsync<Grant>(streams)).OrderBy(g => g.Id).ToArray();
            (await query.Query<Grant>().CountAsync()).ShouldBe(3); // each projection folds its own streams only
            (await query.Query<Fund>().CountAsync()).ShouldBe(1);
        }

        // What the build before the rename stored: the same names, and its own .NET types beside them.
        var stored = await RecordAsBeforeTheRenameAsync(streams);
        stored.ShouldBe(
            [
                ("grant_requested", "GrantRequested"), ("grant_approved", "GrantApproved"),
                ("grant_rejected", "GrantRejected"), ("grant_withdrawn", "GrantWithdrawn"),
            ],
            ignoreOrder: true);

        await using var session = Store.QuerySession();
        (await session.Events.FetchStreamAsync(awarded)).Select(e => e.Data.GetType())
            .ShouldBe([typeof(GrantRequestFiled), typeof(GrantAwarded)]);
        (await session.Events.FetchStreamAsync(declined)).Select(e => e.Data.GetType())
            .ShouldBe([typeof(GrantRequestFiled), typeof(GrantDeclined)]);
        (await session.Events.FetchStreamAsync(withdrawn)).Select(e => e.Data.GetType())
            .ShouldBe([typeof(GrantRequestFiled), typeof(GrantRequestWithdrawn)]);
        foreach (var grant in before)
        {
            var folded = (await session.Events.AggregateStreamAsync<Grant>(grant.Id)).ShouldNotBeNull();
            (folded.Status, folded.ApprovedAmount, folded.Rank, folded.Version)
                .ShouldBe((grant.Status, grant.ApprovedAmount, grant.Rank, grant.Version));
            (await ChainVerifier.VerifyAsync(session, grant.Id)).Intact.ShouldBeTrue();
        }
    }

    /// <summary>Three grants of one fund: one approved (money reserved), one rejected, one withdrawn.</summary>
    private async Task<(Guid Awarded, Guid Declined, Guid Withdrawn)> GrantsAsync()
    {
        using var _ = OperationContext.Begin(OperationContext.System("itest"));
        var now = _clock.GetUtcNow();
        var record = new CaseRecord
        {
            Id = Guid.CreateVersion7(), Reference = "PC-2026-999997", Country = "CO", OpenedBy = "officer-1",
            Organisation = "org-a",
        };
        await using var session = Store.LightweightSession();
        var created =
            new FundCreated(Guid.CreateVersion7(), "Rapid response", "EUR", 1_000m, "funder-0", now, "org-a");
        var fund = StreamChanges.Start(session, created.FundId, created, [], now);
        var ids = new List<Guid>();
        foreach (var decide in new Func<Grant, GrantChange>[]
        {
            grant => DecideGrant.Approve(Options, grant, fund, "funder-a", null, now).Value!,
            grant => DecideGrant.Reject(grant, "funder-a", "Elsewhere.", text => new SealedData(text), now).Value!,
            grant => WithdrawGrant.Decide(grant, new SealedData("sealed"), "officer-1", now).Value!,
        })
        {
            var purpose = new SealedData("sealed");
            var filed = RequestGrant.Decide(
                Options, record, fund, 300m, "EUR", GrantCategory.Legal, purpose, 1, "officer-1", now).Value!;
            var change = decide(filed.Start());
            session.Events.StartStream<Grant>(filed.GrantId, [filed, .. change.GrantEvents]);
            if (change.FundEvents.Count > 0)
            {
                session.Events.Append(created.FundId, [.. change.FundEvents]);
            }

            ids.Add(filed.GrantId);
        }

        await session.SaveChangesAsync();
        return (ids[0], ids[1], ids[2]);
    }

    /// <summary>
    /// Puts back the .NET type names of the renamed events; answers each stored name with the .NET type
    /// name then beside it.
    /// </summary>
    private async Task<IReadOnlyList<(string Stored, string DotNet)>> RecordAsBeforeTheRenameAsync(Guid[] streams)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand(
            $"""
            update "{Schema}".mt_events set mt_dotnet_type = replace(replace(replace(replace(mt_dotnet_type,
                '.GrantRequestFiled,', '.GrantRequested,'), '.GrantAwarded,', '.GrantApproved,'),
                '.GrantDeclined,', '.GrantRejected,'), '.GrantRequestWithdrawn,', '.GrantWithdrawn,')
            where stream_id = any(@streams)
            returning type, mt_dotnet_type
            """,
            connection);
        update.Parameters.AddWithValue("streams", streams);
        var recorded = new List<(string, string)>();
        await using var reader = await update.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var dotNet = reader.GetString(1).Split(',')[0];
            recorded.Add((reader.GetString(0), dotNet[(dotNet.LastIndexOf('.') + 1)..]));
        }

        return recorded.Distinct().ToArray();
    }
}
