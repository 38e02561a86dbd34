extern alias triage;

using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Protection.Contracts.Cases;
using Protection.Contracts.Triage;
using Protection.ServiceDefaults;
using Protection.ServiceTests.Hosting;
using MeasureAdded = triage::Protection.Triage.Cases.MeasureAdded;
using TriageCase = triage::Protection.Triage.Cases.TriageCase;
using TriageRebuild = triage::Protection.Triage.Cases.Rebuilding.TriageRebuild;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// <c>rebuild-cases</c>: after the case documents are wiped, the rebuild writes every one of them back exactly as the
/// inline projection had stored it (the document's JSON, its version, its type and the columns the queue queries).
/// </summary>
[Collection(TriageCollection.Name)]
public sealed class TriageRebuildTests(TriageHost triage)
{
    private const int ManyMeasures = 2_500;

    [Fact]
    public async Task Rebuilding_the_case_documents_gives_back_every_document_the_inline_projection_stored()
    {
        var store = triage.Services.GetRequiredService<IDocumentStore>();
        var officer = $"officer-{Guid.NewGuid():N}";
        var client = triage.As(officer, "officer");
        var supervisor = triage.As("supervisor-1", "supervisor");

        var assessed = await triage.CaseOfAsync(officer);
        await client.SendAsync("POST", $"/api/cases/{assessed}/assessment", TriageBodies.Assessment(physical: 3)
            .ToJsonString()).ShouldBe(HttpStatusCode.OK);
        await supervisor.SendAsync("POST", $"/api/cases/{assessed}/assessment/override",
            TriageBodies.Override("medium").ToJsonString()).ShouldBe(HttpStatusCode.OK);
        await supervisor.SendAsync("POST", $"/api/cases/{assessed}/assignment", """{"officer":"officer-r"}""")
            .ShouldBe(HttpStatusCode.OK);

        var planned = await triage.CaseOfAsync(officer);
        await client.SendAsync("POST", $"/api/cases/{planned}/assessment", TriageBodies.Assessment().ToJsonString())
            .ShouldBe(HttpStatusCode.OK);
        var measures = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            measures.Add((await client.SendAsync("POST", $"/api/cases/{planned}/plan/measures",
                    TriageBodies.Measure(dueInDays: 5 + i).ToJsonString()).ShouldBe(HttpStatusCode.Created))
                .GetProperty("measureId").GetGuid());
        }

        await client.SendAsync("POST", $"/api/cases/{planned}/plan/measures/{measures[0]}/complete")
            .ShouldBe(HttpStatusCode.OK);
        await client.SendAsync("POST", $"/api/cases/{planned}/plan/measures/{measures[1]}/cancel",
            TriageBodies.Reason().ToJsonString()).ShouldBe(HttpStatusCode.OK);

        // A read, which the access log keeps in the same store (an event the rebuild passes over).
        await supervisor.SendAsync("GET", $"/api/cases/{assessed}/triage").ShouldBe(HttpStatusCode.OK);

        var closed = await triage.CaseOfAsync(officer);
        await client.SendAsync("POST", $"/api/cases/{closed}/close", TriageBodies.Close().ToJsonString())
            .ShouldBe(HttpStatusCode.OK);

        // A long plan, appended as the service appends (its own event store, hash-chained, projected inline; the
        // stream fetched for writing, so that the projection knows each event's version).
        var longPlan = await triage.CaseOfAsync(officer);
        await client.SendAsync("POST", $"/api/cases/{longPlan}/assessment", TriageBodies.Assessment().ToJsonString())
            .ShouldBe(HttpStatusCode.OK);
        await AddMeasuresAsync(store, longPlan, ManyMeasures);

        long version;
        await using (var session = store.QuerySession())
        {
            version = (await session.Events.FetchStreamStateAsync(longPlan))!.Version;
        }

        version.ShouldBeGreaterThan(ManyMeasures);
        var stored = await DocumentsAsync(store);
        var indexes = await IndexesAsync(store);
        stored.Count.ShouldBeGreaterThanOrEqualTo(4);
        stored[longPlan].ShouldStartWith($"{version}|"); // the inline projection's revision: the stream's version

        await using (var session = store.LightweightSession())
        {
            session.DeleteWhere<TriageCase>(_ => true);
            await session.SaveChangesAsync();
        }

        (await DocumentsAsync(store)).ShouldBeEmpty();

        var outcome = await triage.Services.GetRequiredService<TriageRebuild>().RunAsync(CancellationToken.None);

        outcome.Cases.ShouldBe(stored.Count);
        var rebuilt = await DocumentsAsync(store);
        rebuilt.Keys.OrderBy(id => id).ShouldBe(stored.Keys.OrderBy(id => id));
        foreach (var (id, document) in stored)
        {

            rebuilt[id].ShouldBe(document, $"case {id}");
        }

        (await IndexesAsync(store)).ShouldBe(indexes, "the queue's indexes, built after the cases are in");

        // The service goes on from the rebuilt documents: the next change projects inline over them.
        var after = await client.SendAsync("POST", $"/api/cases/{longPlan}/plan/measures",
            TriageBodies.Measure().ToJsonString()).ShouldBe(HttpStatusCode.Created);
        after.GetProperty("case").GetProperty("version").GetInt64().ShouldBeGreaterThan(version);
        after.GetProperty("case").GetProperty("measures").GetArrayLength().ShouldBe(ManyMeasures + 1);
    }

    [Fact]
    public async Task After_a_rebuild_a_second_recent_violent_threat_escalates_the_case_through_the_consumer()
    {
        var store = triage.Services.GetRequiredService<IDocumentStore>();
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer); // one physical threat two days ago: high, preliminary
        await triage.Services.GetRequiredService<TriageRebuild>().RunAsync(CancellationToken.None);

        // The path intake's ThreatReported takes: the consumer fetches the stream for writing and appends.
        var threat = new ThreatSummary(Guid.CreateVersion7(), ThreatType.Physical,
            PerpetratorCategory.NonStateArmedGroup, DateOnly.FromDateTime(DateTime.UtcNow), "CO");
        await triage.DeliverAsync(new ThreatReported(id, Facts.Reference(id), threat, Facts.By("intake", "system")));

        using (var within = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            (await triage.Harness.Published.Any<CaseEscalated>(
                    m => m.Context.Message.CaseId == id && m.Context.Message.To == RiskLevel.Critical, within.Token))
                .ShouldBeTrue("triage publishes the escalation from the rebuilt document");
        }

        var view = await triage.As(officer, "officer").SendAsync("GET", $"/api/cases/{id}/triage")
            .ShouldBe(HttpStatusCode.OK);
        view.GetProperty("risk").GetProperty("level").GetString().ShouldBe("critical");
        view.GetProperty("risk").GetProperty("basis").GetString().ShouldBe("escalation");

        await using var session = store.QuerySession();
        var versions = (await session.AdvancedSql.QueryAsync<string>(
                "select cases.mt_version || '|' || streams.version from triage.mt_doc_triagecase cases "
                + "join triage.mt_streams streams on streams.id = cases.id where cases.id = ?",
                CancellationToken.None, id))
            .Single().Split('|');
        versions[0].ShouldBe(versions[1], "the document's revision is its stream's version");
    }

    [Fact]
    public async Task A_rebuild_that_cannot_take_the_tables_place_leaves_every_case_document_as_it_was()
    {
        var store = triage.Services.GetRequiredService<IDocumentStore>();
        var officer = $"officer-{Guid.NewGuid():N}";
        var assessed = await triage.CaseOfAsync(officer);
        await triage.As(officer, "officer").SendAsync("POST", $"/api/cases/{assessed}/assessment",
            TriageBodies.Assessment(physical: 3).ToJsonString()).ShouldBe(HttpStatusCode.OK);
        var before = await DocumentsAsync(store);
        before.ShouldContainKey(assessed);

        // A view someone made over the table (a report, say): the rebuild may not drop the table under it.
        await ExecuteAsync(store, "create view triage.rebuild_test_view as select id from triage.mt_doc_triagecase");
        try
        {
            var failure = await Should.ThrowAsync<Exception>(() =>
                triage.Services.GetRequiredService<TriageRebuild>().RunAsync(CancellationToken.None));
            failure.Message.ShouldContain("depend");
        }
        finally
        {
            await ExecuteAsync(store, "drop view triage.rebuild_test_view");
        }

        var after = await DocumentsAsync(store);
        after.Count.ShouldBe(before.Count);
        foreach (var (id, document) in before)
        {
            after[id].ShouldBe(document, $"case {id}");
        }

        await using var session = store.QuerySession();
        (await session.AdvancedSql.QueryAsync<int>(
                "select count(*)::int from information_schema.schemata where schema_name = 'triage_rebuild'",
                CancellationToken.None))
            .Single().ShouldBe(0, "the rebuild's own table is dropped with its schema");
    }

    private static async Task ExecuteAsync(IDocumentStore store, string sql)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand(sql);
        await session.SaveChangesAsync();
    }

    private static async Task AddMeasuresAsync(IDocumentStore store, Guid caseId, int count)
    {
        using var _ = OperationContext.Begin(OperationContext.System("rebuild-test"));
        var dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30));
        for (var done = 0; done < count; done += 500)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<TriageCase>(caseId);
            stream.AppendMany(Enumerable.Range(done, Math.Min(500, count - done))
                .Select(i => (object)new MeasureAdded(
                    caseId,
                    Guid.NewGuid(),
                    (FrameworkArea)(i % Enum.GetValues<FrameworkArea>().Length),
                    "check-in-call",
                    $"partner-{i % 7}",
                    dueOn.AddDays(i % 40),
                    "rebuild-test",
                    DateTimeOffset.UtcNow))
                .ToArray());
            await session.SaveChangesAsync();
        }
    }

    /// <summary>The case table's indexes, as PostgreSQL would make them again.</summary>
    private static async Task<IReadOnlyList<string>> IndexesAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var indexes = await session.AdvancedSql.QueryAsync<string>(
            "select indexdef from pg_indexes where schemaname = 'triage' and tablename = 'mt_doc_triagecase' "
            + "order by indexname",
            CancellationToken.None);
        indexes.Count.ShouldBe(5); // the key, and the four the queue queries by
        return indexes;
    }

    /// <summary>Every stored case document, as its row holds it (all but the time it was written).</summary>
    private static async Task<Dictionary<Guid, string>> DocumentsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            "select id::text || '|' || mt_version || '|' || coalesce(mt_dotnet_type, '') || '|' "
            + "|| coalesce(status, '') || '|' || coalesce(responsible_officer, '') || '|' "
            + "|| coalesce(next_due_at::text, '') || '|' || coalesce(triage_due_at::text, '') || '|' || data::text "
            + "from triage.mt_doc_triagecase",
            CancellationToken.None);
        return rows.ToDictionary(row => Guid.Parse(row[..36]), row => row[37..]);
    }
}
