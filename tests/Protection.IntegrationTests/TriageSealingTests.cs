using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Protection.Contracts;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.EventSourcing.EventStore;
using Protection.EventSourcing.Messaging;
using Protection.EventSourcing.PersonalData;
using Protection.Testing;
using Protection.ServiceDefaults.Http;
using Protection.Triage;
using Protection.Triage.Cases;
using Protection.Triage.Cases.Assessing;
using Protection.Triage.Cases.Closing;
using Protection.Triage.Cases.Overriding;
using Protection.Triage.Cases.Planning;
using Protection.Triage.Cases.Reading;
using Protection.Triage.Cases.Reopening;

namespace Protection.IntegrationTests;

/// <summary>
/// Triage on real PostgreSQL and RabbitMQ, through its command and read handlers: what officers and
/// supervisors write (assessment notes, override, cancellation, closing and re-opening reasons) is
/// stored only sealed with the case's key, reads back for the case's readers, and reads "[erased]"
/// once <c>CaseErased</c> destroyed the key, while the events and their hash chain stay as they were.
/// </summary>
public sealed class TriageSealingTests : IAsyncLifetime
{
    private const string Schema = TriageModule.ServiceName;
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];
    private IHost? _host;
    private string _database = string.Empty;

    private IServiceProvider Services => _host!.Services;

    private IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    // What staff wrote: a defender's name and whereabouts, each with this run's token to be searched for.
    // ASCII only: the stored JSON would escape anything else, and a search for it would pass for the wrong reason.
    private string OverrideReason => $"Amina Testperson {_token} was seen near Calle 5 again.";

    private string PhysicalNote => $"Followed home to Calle 5 on two evenings ({_token}).";

    private string CancelReason => $"Moved to her sister's in Popayan ({_token}).";

    private string ClosingNote => $"Safe at her sister's in Popayan since May ({_token}).";

    private string ReopenReason => $"Threatened again by phone in Popayan ({_token}).";

    private IEnumerable<string> Texts => [OverrideReason, PhysicalNote, CancelReason, ClosingNote, ReopenReason];

    public async Task InitializeAsync()
    {
        var (_, rabbit) = await TestInfrastructure.EndpointsAsync();
        _database = await TestInfrastructure.CreateDatabaseAsync("trseal");
        // local PostgreSQL and RabbitMQ have development passwords
        var prefix = $"itest-trseal-{Guid.NewGuid():N}"[..24];
        var builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddJsonFile(
            Path.Combine(AppContext.BaseDirectory, "Triage", "appsettings.json"),
            optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database,
            ["ConnectionStrings:RabbitMq"] = rabbit,
            ["Messaging:QueuePrefix"] = prefix,
            ["Messaging:ExchangePrefix"] = $"{prefix}.",
            ["Triage:OverdueCheckInterval"] = "00:30:00",
            ["PersonalData:MasterKey"] =
                Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.AddTriage();
        _host = builder.Build();
        await _host.StartAsync();
        await Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync() => TestInfrastructure.StopAndDropAsync(_host, _database);

    [Fact]
    public async Task Notes_and_reasons_are_stored_only_sealed_and_read_back_with_the_case_key()
    {
        var (caseId, reference) = await CaseWithTextsAsync();

        var view = await ReadAsync(caseId);
        view.Override.ShouldBeNull(); // the assessment above the override cleared it...
        view.RiskHistory.Select(h => h.Reason).ShouldContain(OverrideReason); // ...and the history keeps its reason
        view.Assessment.ShouldNotBeNull().Notes.ShouldNotBeNull().Physical.ShouldBe(PhysicalNote);
        view.Measures.ShouldHaveSingleItem().CancelReason.ShouldBe(CancelReason);

        var stored = await StoredRows.AllAsync(_database, Schema);
        stored.ShouldContain(reference); // the case is there...
        stored.ShouldContain("ciphertext");
        stored.ShouldNotContain(_token); // ...none of what staff wrote is, in events, documents or the outbox
        stored.ShouldNotContain("Amina");
        stored.ShouldNotContain("Popayan");
        foreach (var text in Texts)
        {
            stored.ShouldNotContain(text);
        }

        await using var query = Store.QuerySession();
        (await query.LoadAsync<CaseKey>(caseId)).ShouldNotBeNull();
        (await ChainVerifier.VerifyAsync(query, caseId)).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task Events_renamed_in_code_are_stored_under_their_first_names_so_older_streams_still_load()
    {
        var (caseId, _) = await CaseWithTextsAsync();

        var types = (await StoredRows.EventsAsync(_database, Schema, caseId))
            .Select(row => JsonDocument.Parse(row).RootElement.GetProperty("type").GetString())
            .ToArray();
        types.ShouldBe(
        [
            "case_taken_in", "risk_overridden", "triage_deadline_set", "risk_assessed", "measure_added",
            "measure_cancelled", "case_closed", "case_reopened", "triage_deadline_set",
        ]);

        await using var query = Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(caseId);
        events.Select(e => e.Data.GetType()).ShouldContain(typeof(DimensionsScored));
        events.Select(e => e.Data.GetType()).ShouldContain(typeof(CaseClosedWithOutcome));
        events.Select(e => e.Data.GetType()).ShouldContain(typeof(CaseReopenedForTriage));
    }

    [Fact]
    public async Task
        CaseErased_delivered_twice_destroys_the_key_once_and_every_text_then_reads_erased_with_the_events_untouched()
    {
        var (caseId, reference) = await CaseWithTextsAsync();
        var eventsBefore = await StoredRows.EventsAsync(_database, Schema, caseId);
        var before = await ReadAsync(caseId);

        // The outbox may hand the broker the same message twice: both copies arrive, one is applied.
        var erased = Erased(caseId, reference);
        await Bus.Publish(erased, context => context.MessageId = erased.Metadata.EventId);
        await Bus.Publish(erased, context => context.MessageId = erased.Metadata.EventId);
        await HandledAsync(erased.Metadata.EventId);

        await using (var query = Store.QuerySession())
        {
            (await query.LoadAsync<CaseKey>(caseId)).ShouldBeNull();
        }

        var after = await ReadAsync(caseId);
        after.RiskHistory.Single(h => h.Basis == RiskBasis.Override).Reason.ShouldBe(CaseKeys.Erased);
        after.RiskHistory.Where(h => h.Basis != RiskBasis.Override).ShouldAllBe(h => h.Reason == null);
        var notes = after.Assessment.ShouldNotBeNull().Notes.ShouldNotBeNull();
        notes.Physical.ShouldBe(CaseKeys.Erased);
        notes.Political.ShouldBeNull(); // never written
        after.Measures.ShouldHaveSingleItem().CancelReason.ShouldBe(CaseKeys.Erased);
        (after.Risk.Level, after.Status, after.Version).ShouldBe((before.Risk.Level, before.Status, before.Version));
        after.Coverage.ShouldBe(before.Coverage);

        // A second erasure of the same case (another message) finds no key and changes nothing.
        var again = Erased(caseId, reference);
        await Bus.Publish(again, context => context.MessageId = again.Metadata.EventId);
        await HandledAsync(again.Metadata.EventId);
        JsonSerializer.Serialize(await ReadAsync(caseId)).ShouldBe(JsonSerializer.Serialize(after));

        // The history, its hashes and its metadata are exactly as they were.
        (await StoredRows.EventsAsync(_database, Schema, caseId)).ShouldBe(eventsBefore);
        await using var check = Store.QuerySession();
        var chain = await ChainVerifier.VerifyAsync(check, caseId);
        chain.Intact.ShouldBeTrue(chain.Reason);
        chain.EventsChecked.ShouldBe(eventsBefore.Count);
    }

    [Fact]
    public async Task A_case_whose_key_is_gone_takes_new_text_under_a_new_key_and_the_old_text_stays_erased()
    {
        var (caseId, reference) = await CaseWithTextsAsync();
        var erased = Erased(caseId, reference);
        await Bus.Publish(erased, context => context.MessageId = erased.Metadata.EventId);
        await HandledAsync(erased.Metadata.EventId);

        var reason = $"Raised again after new threats ({_token}).";
        var view = await Command(http => OverrideRisk.Handle(
            caseId, new OverrideRequest { Level = RiskLevel.Critical, Reason = reason }, http, Cases, Decisions,
            CancellationToken.None));

        view.Override.ShouldNotBeNull().Reason.ShouldBe(reason);
        view.RiskHistory.Where(h => h.Basis == RiskBasis.Override).Select(h => h.Reason)
            .ShouldBe([CaseKeys.Erased, reason]);
        view.Measures.ShouldHaveSingleItem().CancelReason.ShouldBe(CaseKeys.Erased);
        (await StoredRows.AllAsync(_database, Schema)).ShouldNotContain(_token);
    }

    private IBus Bus => Services.GetRequiredService<IBus>();

    private TriageDecisions Decisions => Services.GetRequiredService<TriageDecisions>();

    private CasePath Cases => Services.GetRequiredService<CasePath>();

    private CaseErased Erased(Guid caseId, string reference) => new(
        caseId, reference, ErasureBasis.DefenderRequest, _clock.GetUtcNow(),
        new EventMetadata(
            Guid.CreateVersion7(),
            _clock.GetUtcNow(),
            "admin-1",
            "admin",
            Guid.NewGuid().ToString(),
            Guid.NewGuid().ToString()));

    /// <summary>
    /// Waits until <see cref="DestroyCaseKey"/> has committed its handling of the message (its idempotency marker).
    /// </summary>
    private Task HandledAsync(Guid messageId) => Eventually.Get(async () =>
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<ProcessedMessage>($"{nameof(DestroyCaseKey)}:{messageId:N}");
    }, TimeSpan.FromSeconds(15), $"{nameof(DestroyCaseKey)} to handle {messageId}");

    /// <summary>
    /// A case taken in as the CaseOpened consumer does, then, through the handlers: a supervisor's
    /// override, an assessment with a note (above the override, which it clears), a measure added and
    /// cancelled, the case closed with a note and re-opened with a reason.
    /// </summary>
    private async Task<(Guid CaseId, string Reference)> CaseWithTextsAsync()
    {
        var caseId = Guid.CreateVersion7();
        var reference = $"PC-2026-{Random.Shared.Next(100000, 999999)}";
        var now = _clock.GetUtcNow();
        using (OperationContext.Begin(OperationContext.System("itest")))
        await using (var session = Store.LightweightSession())
        {
            Decisions.TakeIn(caseId, reference, "CO", "officer-1", now, [], 1, new ConsentScopes(true, false), now)
                .StartIn(session, now);
            session.Store(new CaseHolding { Id = caseId, Owner = "org-a", Version = 1 });
            await session.SaveChangesAsync();
        }

        var ct = CancellationToken.None;
        await Command(http => OverrideRisk.Handle(
            caseId,
            new OverrideRequest { Level = RiskLevel.Medium, Reason = OverrideReason },
            http,
            Cases,
            Decisions,
            ct));
        await Command(http => AssessCase.Handle(caseId, new AssessmentRequest
        {
            Scores = new ScoresInput
            {
                EmotionalCognitive = 0, Physical = 3, Spiritual = 0, Economic = 0, Political = 0,
            },
            Notes = new NotesInput { Physical = PhysicalNote },
        }, http, Cases, Decisions, ct));

        Guid measureId;
        using (OperationContext.Begin(OperationContext.System("itest")))
        {
            var added = await AddMeasure.Handle(caseId, new AddMeasureRequest
            {
                Area = FrameworkArea.ThreatsOnTheGround,
                Type = "safe-house",
                Owner = "partner:casa",
                DueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(7),
            }, Supervisor(), Cases, _clock, ct);
            measureId = added.Result.ShouldBeOfType<Created<MeasureAddedResponse>>().Value!.MeasureId;
        }

        await Command(http => ChangeMeasure.Cancel(
            caseId, measureId, new CancelMeasureRequest { Reason = CancelReason }, http, Cases, ct));
        await Command(http => CloseCase.Handle(
            caseId, new CloseRequest { Outcome = CaseOutcome.RiskReduced, Note = ClosingNote }, http, Cases, ct));
        await Command(http => ReopenCase.Handle(
            caseId, new ReopenRequest { Reason = ReopenReason }, http, Cases, Decisions, ct));
        return (caseId, reference);
    }

    /// <summary>
    /// Runs a command handler as a supervisor's request would (its operation context) and answers its view.
    /// </summary>
    private async Task<TriageView> Command(
        Func<HttpContext, Task<Results<Ok<TriageView>, NotFoundProblem, ForbiddenProblem, ConflictProblem>>> handler)
    {
        using var _ = OperationContext.Begin(OperationContext.System("itest"));
        var result = await handler(Supervisor());
        return result.Result.ShouldBeOfType<Ok<TriageView>>().Value.ShouldNotBeNull();
    }

    private async Task<TriageView> ReadAsync(Guid caseId)
    {
        await using var session = Store.QuerySession();
        var result = await ReadTriage.Case(
            caseId, Supervisor(), session, Services.GetRequiredService<CaseKeys>(), _clock, CancellationToken.None);
        return result.Result.ShouldBeOfType<Ok<TriageView>>().Value.ShouldNotBeNull();
    }

    private HttpContext Supervisor() => Requests.As(Services, "supervisor-1", "supervisor");
}
