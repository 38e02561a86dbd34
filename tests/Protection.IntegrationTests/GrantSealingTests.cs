using System.Security.Claims;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.EmergencyAssistance;
using Protection.EmergencyAssistance.Cases;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.EmergencyAssistance.Grants.Deciding;
using Protection.EmergencyAssistance.Grants.Disbursing;
using Protection.EmergencyAssistance.Grants.Reading;
using Protection.EmergencyAssistance.Grants.Reporting;
using Protection.EmergencyAssistance.Grants.Requesting;
using Protection.EmergencyAssistance.Grants.Withdrawing;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;
using Protection.Testing;
using GrantCategory = Protection.Contracts.Assistance.GrantCategory;

namespace Protection.IntegrationTests;

/// <summary>
/// Emergency assistance on real PostgreSQL and RabbitMQ, through its grant handlers: a grant's
/// purpose, a rejection's and a withdrawal's reason and the accountability report are stored only
/// sealed with the key of the grant's case (made with the case's first grant), read back for funders
/// and officers, and read "[erased]" once <c>CaseErased</c> destroyed the key; amounts, statuses,
/// events and their hash chains stay as they were.
/// </summary>
public sealed class GrantSealingTests : IAsyncLifetime
{
    private const string Schema = AssistanceModule.ServiceName;
    private const string Officer = "officer-1";
    private const string Organisation = "org-a"; // the organisation of Requests.As

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private readonly Guid _fundId = Guid.CreateVersion7();
    private IHost? _host;
    private string _database = string.Empty;

    private IServiceProvider Services => _host!.Services;

    private IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    private GrantPath Path => Services.GetRequiredService<GrantPath>();

    private IOptions<AssistanceOptions> Options => Services.GetRequiredService<IOptions<AssistanceOptions>>();

    private CaseKeys Keys => Services.GetRequiredService<CaseKeys>();

    // ASCII only: the stored JSON would escape anything else, and a search for it would pass for the wrong reason.
    private string Purpose(int n) => $"Reinforced door {n} for Amina Testperson at Calle 5 ({_token}).";

    private string RejectionReason => $"Amina Testperson already has a door from the mayor ({_token}).";

    private string WithdrawalReason => $"Amina Testperson moved to Popayan ({_token}).";

    private string Summary => $"Door fitted at Calle 5 for Amina Testperson, receipts kept ({_token}).";

    public async Task InitializeAsync()
    {
        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("grseal");
        // Local PostgreSQL and RabbitMQ have development passwords.
        var prefix = $"itest-grseal-{Guid.NewGuid():N}"[..24];
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
        await Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));

        using var _ = OperationContext.Begin(OperationContext.System("itest"));
        await using var setup = Store.LightweightSession();
        setup.Events.StartStream<Fund>(
            _fundId,
            new FundCreated(_fundId, "Rapid response", "EUR", 10_000m, "funder-0", _clock.GetUtcNow(), Organisation));
        await setup.SaveChangesAsync();
    }

    public Task DisposeAsync() => TestInfrastructure.StopAndDropAsync(_host, _database);

    [Fact]
    public async Task The_first_grants_of_a_case_make_one_key_and_every_text_is_stored_sealed_and_read_back_with_it()
    {
        var (caseId, reference, grants) = await CaseWithGrantsAsync();

        await using (var query = Store.QuerySession())
        {
            (await query.Query<CaseKey>().CountAsync()).ShouldBe(1);
            (await query.LoadAsync<CaseKey>(caseId)).ShouldNotBeNull();
        }

        // Funders see grants (never who or where) with the officer's purpose, as before.
        var asFunder = await ListAsync(Funder());
        asFunder.Select(g => g.Purpose).ShouldBe([Purpose(1), Purpose(2), Purpose(3)], ignoreOrder: true);
        var rejected = await GetAsync(grants.Rejected, Funder());
        rejected.Rejection.ShouldNotBeNull().Reason.ShouldBe(RejectionReason);
        (await GetAsync(grants.Reported, OfficerRequest())).Report.ShouldNotBeNull().Summary.ShouldBe(Summary);
        (await ForCaseAsync(caseId)).Select(g => g.Purpose)
            .ShouldBe([Purpose(1), Purpose(2), Purpose(3)], ignoreOrder: true);

        var stored = await StoredRows.AllAsync(_database, Schema);
        stored.ShouldContain(reference);
        stored.ShouldContain("ciphertext");
        stored.ShouldNotContain(_token); // in events, grant documents, the outbox
        stored.ShouldNotContain("Amina");
        stored.ShouldNotContain("Popayan");

        await using var check = Store.QuerySession();
        foreach (var grantId in new[] { grants.Rejected, grants.Withdrawn, grants.Reported })
        {
            (await ChainVerifier.VerifyAsync(check, grantId)).Intact.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task
        CaseErased_delivered_twice_destroys_the_key_and_the_grants_read_erased_with_their_amounts_and_events_untouched()
    {
        var (caseId, reference, grants) = await CaseWithGrantsAsync();
        var otherCase = await CaseWithGrantsAsync();
        var ids = new[] { grants.Rejected, grants.Withdrawn, grants.Reported };
        var eventsBefore = new Dictionary<Guid, IReadOnlyList<string>>();
        foreach (var id in ids)
        {
            eventsBefore[id] = await StoredRows.EventsAsync(_database, Schema, id);
        }

        var before = await ForCaseAsync(caseId);

        var erased = Erased(caseId, reference);
        await Bus.Publish(erased, context => context.MessageId = erased.Metadata.EventId);
        await Bus.Publish(erased, context => context.MessageId = erased.Metadata.EventId);
        await HandledAsync(erased.Metadata.EventId);

        await using (var query = Store.QuerySession())
        {
            (await query.LoadAsync<CaseKey>(caseId)).ShouldBeNull();
            (await query.LoadAsync<CaseKey>(otherCase.CaseId)).ShouldNotBeNull(); // only that case's
        }

        var after = await ForCaseAsync(caseId);
        after.ShouldAllBe(g => g.Purpose == CaseKeys.Erased);
        after.Select(g => (g.Id, g.Status, g.RequestedAmount, g.ApprovedAmount, g.Disbursed, g.CaseReference))
            .ShouldBe(before.Select(g =>
                (g.Id, g.Status, g.RequestedAmount, g.ApprovedAmount, g.Disbursed, g.CaseReference)));
        after.Single(g => g.Id == grants.Rejected).Rejection.ShouldNotBeNull().Reason.ShouldBe(CaseKeys.Erased);
        var report = after.Single(g => g.Id == grants.Reported).Report.ShouldNotBeNull();
        (report.Summary, report.Spent).ShouldBe((CaseKeys.Erased, 500m));

        // A funder's list: the erased case's grants read "[erased]", the other case's are untouched.
        var list = await ListAsync(Funder());
        list.Where(g => g.CaseId == caseId).ShouldAllBe(g => g.Purpose == CaseKeys.Erased);
        list.Where(g => g.CaseId == otherCase.CaseId).Select(g => g.Purpose)
            .ShouldBe([Purpose(1), Purpose(2), Purpose(3)], ignoreOrder: true);

        // Another CaseErased for the case finds no key and changes nothing.
        var again = Erased(caseId, reference);
        await Bus.Publish(again, context => context.MessageId = again.Metadata.EventId);
        await HandledAsync(again.Metadata.EventId);
        JsonSerializer.Serialize(await ForCaseAsync(caseId)).ShouldBe(JsonSerializer.Serialize(after));

        await using var check = Store.QuerySession();
        foreach (var id in ids)
        {
            (await StoredRows.EventsAsync(_database, Schema, id)).ShouldBe(eventsBefore[id]);
            (await ChainVerifier.VerifyAsync(check, id)).Intact.ShouldBeTrue();
        }
    }

    private IBus Bus => Services.GetRequiredService<IBus>();

    private CaseErased Erased(Guid caseId, string reference) => new(
        caseId, reference, ErasureBasis.RetentionExpired, _clock.GetUtcNow(),
        new EventMetadata(
            Guid.CreateVersion7(), _clock.GetUtcNow(), "admin-1", "admin", Guid.NewGuid().ToString(),
            Guid.NewGuid().ToString()));

    private Task HandledAsync(Guid messageId) => Eventually.Get(async () =>
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<ProcessedMessage>($"{nameof(DestroyCaseKey)}:{messageId:N}");
    }, TimeSpan.FromSeconds(15), $"{nameof(DestroyCaseKey)} to handle {messageId}");

    /// <summary>
    /// A case this service knows, with three grants requested through the handler (the first two at the
    /// same moment): one rejected by a funder, one withdrawn by the officer, one approved, paid and reported.
    /// </summary>
    private async Task<(Guid CaseId, string Reference, (Guid Rejected, Guid Withdrawn, Guid Reported) Grants)>
        CaseWithGrantsAsync()
    {
        var caseId = Guid.CreateVersion7();
        var reference = $"PC-2026-{Random.Shared.Next(100000, 999999)}";
        await using (var setup = Store.LightweightSession())
        {
            setup.Store(new CaseRecord
            {
                Id = caseId, Reference = reference, Country = "CO", OpenedBy = Officer, Organisation = Organisation,
            });
            await setup.SaveChangesAsync();
        }

        var requested = await Task.WhenAll(RequestAsync(caseId, 1), RequestAsync(caseId, 2));
        var third = await RequestAsync(caseId, 3);
        var ct = CancellationToken.None;

        var rejection = new DecisionInput { Decision = DecisionKind.Reject, Reason = RejectionReason };
        await Command(
            async http => (await DecideGrant.Handle(requested[0].Id, rejection, http, Path, ct)).Result, Funder());
        var withdrawal = new WithdrawalInput { Reason = WithdrawalReason };
        await Command(
            async http => (await WithdrawGrant.Handle(requested[1].Id, withdrawal, http, Path, ct)).Result,
            OfficerRequest());
        var approval = new DecisionInput { Decision = DecisionKind.Approve };
        await Command(async http => (await DecideGrant.Handle(third.Id, approval, http, Path, ct)).Result, Funder());
        var tranche = new DisbursementInput { Amount = 600m };
        await Command(async http => (await DisburseGrant.Handle(third.Id, tranche, http, Path, ct)).Result, Funder());
        var report = new ReportInput { Spent = 500m, Summary = Summary };
        var reported = await Command(
            async http => (await SubmitReport.Handle(third.Id, report, http, Path, ct)).Result, OfficerRequest());
        reported.Status.ShouldBe(GrantStatus.Reported);
        return (caseId, reference, (requested[0].Id, requested[1].Id, third.Id));
    }

    private async Task<GrantView> RequestAsync(Guid caseId, int n)
    {
        using var _ = OperationContext.Begin(OperationContext.System("itest"));
        var result = await RequestGrant.Handle(caseId, new GrantRequestInput
        {
            FundId = _fundId,
            Amount = 600m,
            Currency = "EUR",
            Category = GrantCategory.PhysicalSecurity,
            Purpose = Purpose(n),
            PeopleCovered = 1,
        }, OfficerRequest(), Store, Keys, Options, _clock, CancellationToken.None);
        var view = result.Result.ShouldBeOfType<Created<GrantView>>().Value.ShouldNotBeNull();
        view.Purpose.ShouldBe(Purpose(n));
        return view;
    }

    private static async Task<GrantView> Command(Func<HttpContext, Task<IResult>> handler, HttpContext http)
    {
        using var _ = OperationContext.Begin(OperationContext.System("itest"));
        var result = await handler(http);
        return result.ShouldBeOfType<Ok<GrantView>>().Value.ShouldNotBeNull();
    }

    private async Task<GrantView> GetAsync(Guid grantId, HttpContext http)
    {
        await using var session = Store.QuerySession();
        var result = await GetGrant.Handle(grantId, http, session, Keys, Options, _clock, CancellationToken.None);
        return result.Result.ShouldBeOfType<Ok<GrantView>>().Value.ShouldNotBeNull();
    }

    private async Task<IReadOnlyList<GrantView>> ListAsync(HttpContext http)
    {
        await using var session = Store.QuerySession();
        var vault = Services.GetRequiredService<PersonalDataVault>();
        var result = await ListGrants.Handle(http, session, vault, Options, _clock, CancellationToken.None);
        return result.Result.ShouldBeOfType<Ok<GrantList>>().Value.ShouldNotBeNull().Items;
    }

    private async Task<IReadOnlyList<GrantView>> ForCaseAsync(Guid caseId)
    {
        await using var session = Store.QuerySession();
        var result = await CaseGrants.Handle(
            caseId, OfficerRequest(), session, Keys, Options, _clock, CancellationToken.None);
        return result.Result.ShouldBeOfType<Ok<IReadOnlyList<GrantView>>>().Value.ShouldNotBeNull();
    }

    private HttpContext OfficerRequest() => Requests.As(Services, Officer, "officer");

    private HttpContext Funder() => Requests.As(Services, "funder-1", "funder");
}
