using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Contracts.Cases;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Triage;

/// <summary>
/// Triage by organisation: each case is its owner's (from intake's <c>CaseOpened</c>, then
/// <c>CaseHoldersChanged</c>, the newest by intake's version); partners read it without the staff texts,
/// a transfer hands it over, and the queue is the reader's organisation's own work.
/// </summary>
[Collection(TriageCollection.Name)]
public sealed class TriageOrganisations(TriageHost triage)
{
    private const string A = TestTokens.OrganisationA;
    private const string B = TestTokens.OrganisationB;

    private const string Note = "Lost her job after the radio interview";

    private HttpClient Of(string organisation, string user, string role) =>
        triage.WithToken(TestTokens.Of(organisation, user, [role]));

    /// <summary>Intake says who holds the case now, at its case version <paramref name="version"/>.</summary>
    private Task HoldersAsync(Guid caseId, string owner, long version, params CasePartner[] partners) =>
        triage.DeliverAsync(new CaseHoldersChanged(
            caseId, Facts.Reference(caseId), owner, partners, version, Facts.By("supervisor-b", "supervisor")));

    private static async Task<long> VersionAsync(HttpClient client, Guid id) =>
        (await client.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK))
        .GetProperty("version").GetInt64();

    private static IEnumerable<Guid> Ids(JsonElement queue) => queue.Items().Select(i => i.GetProperty("caseId")
        .GetGuid());

    [Fact]
    public async Task The_queue_holds_only_the_readers_organisations_own_cases_never_shared_in_ones()
    {
        var officerA = $"officer-{Guid.NewGuid():N}";
        var officerB = $"officer-{Guid.NewGuid():N}";
        var ofA = await triage.CaseOfAsync(officerA);
        var sharedWithB = await triage.CaseOfAsync(officerA);
        await HoldersAsync(sharedWithB, A, 2, new CasePartner(B, SeesPersonalData: true));
        var ofB = Guid.CreateVersion7();
        await triage.DeliverAsync(Facts.CaseOpened(ofB, officerB) with { Organisation = B });

        var supervisorB = await Of(B, "supervisor-b", "supervisor")
            .SendAsync("GET", "/api/triage/queue?pageSize=200").ShouldBe(HttpStatusCode.OK);
        Ids(supervisorB).ShouldContain(ofB);
        Ids(supervisorB).ShouldNotContain(ofA);
        Ids(supervisorB).ShouldNotContain(sharedWithB);
        var ownB = await Of(B, officerB, "officer").SendAsync("GET", "/api/triage/queue").ShouldBe(HttpStatusCode.OK);
        Ids(ownB).ShouldBe([ofB]);

        var supervisorA = await triage.As("supervisor-1", "supervisor")
            .SendAsync("GET", "/api/triage/queue?pageSize=200").ShouldBe(HttpStatusCode.OK);
        Ids(supervisorA).ShouldContain(ofA);
        Ids(supervisorA).ShouldContain(sharedWithB);
        Ids(supervisorA).ShouldNotContain(ofB);
        var ownA = await triage.As(officerA, "officer").SendAsync("GET", "/api/triage/queue")
            .ShouldBe(HttpStatusCode.OK);
        Ids(ownA).Order().ShouldBe(new[] { ofA, sharedWithB }.Order());

        // The same user id in the other organisation is another person: its queue is empty.
        var sameIdInB = await Of(B, officerA, "officer").SendAsync("GET", "/api/triage/queue")
            .ShouldBe(HttpStatusCode.OK);
        Ids(sameIdInB).ShouldBeEmpty();
        (await triage.As("supervisor-1", "supervisor").SendAsync("GET", $"/api/cases/{ofB}/triage")
            .ShouldBeProblem(HttpStatusCode.NotFound)).ShouldSayNothingOfTheCase();
    }

    [Fact]
    public async Task A_partner_reads_triage_without_the_staff_texts_and_cannot_change_it()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        await triage.As(officer, "officer").SendAsync("POST", $"/api/cases/{id}/assessment", new JsonObject
        {
            ["scores"] = TriageBodies.Scores(1, 1, 1, 1, 1),
            ["notes"] = new JsonObject { ["economic"] = Note },
        }.ToJsonString()).ShouldBe(HttpStatusCode.OK);
        await triage.As("supervisor-1", "supervisor").SendAsync("POST", $"/api/cases/{id}/assessment/override",
            TriageBodies.Override().ToJsonString()).ShouldBe(HttpStatusCode.OK);
        var partnerOfficer = Of(B, $"officer-{Guid.NewGuid():N}", "officer");
        await partnerOfficer.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBeProblem(HttpStatusCode.NotFound);

        await HoldersAsync(id, A, 2, new CasePartner(B, SeesPersonalData: true));

        var view = await partnerOfficer.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);
        view.GetProperty("assessment").GetProperty("scores").GetProperty("economic").GetInt32().ShouldBe(1);
        view.GetProperty("assessment").GetProperty("notes").ValueKind.ShouldBe(JsonValueKind.Null);
        view.GetProperty("override").Text("reason").ShouldBe("[withheld]");
        view.GetRawText().ShouldNotContain(Note);
        view.GetRawText().ShouldNotContain(TriageBodies.Override()["reason"]!.GetValue<string>());
        var version = view.GetProperty("version").GetInt64();

        var partnerSupervisor = Of(B, "supervisor-b", "supervisor");
        (await partnerSupervisor.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK))
            .GetProperty("assessment").GetProperty("notes").ValueKind.ShouldBe(JsonValueKind.Null);
        await partnerOfficer.SendAsync("POST", $"/api/cases/{id}/assessment", TriageBodies.Assessment().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await partnerSupervisor.SendAsync("POST", $"/api/cases/{id}/assignment", """{"officer":"officer-b"}""")
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await partnerSupervisor.SendAsync("POST", $"/api/cases/{id}/close", TriageBodies.Close().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync(triage.As(officer, "officer"), id)).ShouldBe(version);
    }

    [Fact]
    public async Task An_older_holding_is_ignored_and_a_late_opening_does_not_undo_a_newer_one()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var partnerOfficer = Of(B, $"officer-{Guid.NewGuid():N}", "officer");
        var id = await triage.CaseOfAsync(officer);
        await HoldersAsync(id, A, 3, new CasePartner(B, SeesPersonalData: false));
        await HoldersAsync(id, A, 2); // before the share, delivered late
        await partnerOfficer.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);

        // Transferred to B before triage heard of the opening (another queue): the opening (version 1) is older.
        var transferred = Guid.CreateVersion7();
        await HoldersAsync(transferred, B, 4);
        await triage.DeliverAsync(Facts.CaseOpened(transferred, officer));
        await Of(B, "supervisor-b", "supervisor").SendAsync("GET", $"/api/cases/{transferred}/triage")
            .ShouldBe(HttpStatusCode.OK);
        await triage.As(officer, "officer").SendAsync("GET", $"/api/cases/{transferred}/triage")
            .ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_transfer_lets_the_new_owners_supervisor_act_and_turns_the_former_owners_staff_away_404()
    {
        var officer = $"officer-{Guid.NewGuid():N}";
        var id = await triage.CaseOfAsync(officer);
        await triage.As(officer, "officer").SendAsync("POST", $"/api/cases/{id}/assessment", new JsonObject
        {
            ["scores"] = TriageBodies.Scores(1, 1, 1, 1, 1),
            ["notes"] = new JsonObject { ["economic"] = Note },
        }.ToJsonString()).ShouldBe(HttpStatusCode.OK);

        await HoldersAsync(id, B, 2);

        var supervisorB = Of(B, "supervisor-b", "supervisor");
        var read = await supervisorB.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBe(HttpStatusCode.OK);
        read.GetProperty("assessment").GetProperty("notes").Text("economic").ShouldBe(Note);
        await supervisorB.SendAsync("POST", $"/api/cases/{id}/assignment", """{"officer":"officer-of-b"}""")
            .ShouldBe(HttpStatusCode.OK);
        await Of(B, "officer-of-b", "officer").SendAsync("POST", $"/api/cases/{id}/plan/measures",
            TriageBodies.Measure().ToJsonString()).ShouldBe(HttpStatusCode.Created);
        var queueB = await supervisorB.SendAsync("GET", "/api/triage/queue?pageSize=200").ShouldBe(HttpStatusCode.OK);
        Ids(queueB).ShouldContain(id);
        await triage.WithToken(TestTokens.Of("audit-body", "auditor-of-b", ["auditor"], audits: [B]))
            .SendAsync("GET", $"/audit/cases/{id}/history").ShouldBe(HttpStatusCode.OK);

        var version = await VersionAsync(supervisorB, id);
        var formerOfficer = triage.As(officer, "officer");
        var formerSupervisor = triage.As("supervisor-1", "supervisor");
        foreach (var former in new[] { formerOfficer, formerSupervisor, triage.As("auditor-1", "auditor") })
        {
            (await former.SendAsync("GET", $"/api/cases/{id}/triage").ShouldBeProblem(HttpStatusCode.NotFound))
                .ShouldSayNothingOfTheCase();
        }

        await formerOfficer.SendAsync("POST", $"/api/cases/{id}/close", TriageBodies.Close().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await formerSupervisor.SendAsync("POST", $"/api/cases/{id}/assessment/override",
            TriageBodies.Override().ToJsonString()).ShouldBeProblem(HttpStatusCode.NotFound);
        await formerSupervisor.SendAsync("GET", $"/audit/cases/{id}/history").ShouldBeProblem(HttpStatusCode.NotFound);
        await triage.As("auditor-1", "auditor").SendAsync("GET", $"/audit/cases/{id}/history")
            .ShouldBeProblem(HttpStatusCode.NotFound);
        var queueA = await formerSupervisor.SendAsync("GET", "/api/triage/queue?pageSize=200")
            .ShouldBe(HttpStatusCode.OK);
        Ids(queueA).ShouldNotContain(id);
        (await VersionAsync(supervisorB, id)).ShouldBe(version);
    }
}
