using System.Net;
using System.Text.Json;
using MassTransit.Testing;
using Protection.Contracts.Cases;
using Protection.ServiceTests.Hosting;
using Protection.Testing;

namespace Protection.ServiceTests.Intake;

/// <summary>
/// The defender's consent and the case's referrals: who may record and answer them, what organisation B then
/// reads and lists, and what intake publishes for the other services.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class IntakeReferrals(IntakeHost intake)
{
    private const string B = TestTokens.OrganisationB;

    private HttpClient Officer(out string user)
    {
        user = $"officer-{Guid.NewGuid():N}";
        return intake.As(user, "officer");
    }

    private HttpClient OfB(string role) => intake.Of(B, $"{role}-b-{Guid.NewGuid():N}", role);

    private static string Step(Guid caseId, Guid referralId, string step) =>
        $"/api/cases/{caseId}/referrals/{referralId}/{step}";

    [Fact]
    public async Task Changing_the_consent_answers_the_consent_in_force_records_it_and_publishes_it_once()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);

        using var changed = await officer.SendAsync(
            "PUT", $"/api/cases/{id}/consent", """{"shareWithFunders":false,"shareWithRelocationHost":true}""",
            ifMatch: "\"1\"");
        var answer = await changed.ShouldBe(HttpStatusCode.OK);
        changed.ETagVersion().ShouldBe(2);
        answer.GetProperty("version").GetInt64().ShouldBe(2);
        answer.GetProperty("consent").GetProperty("shareWithFunders").GetBoolean().ShouldBeFalse();
        answer.GetProperty("consent").GetProperty("shareWithRelocationHost").GetBoolean().ShouldBeTrue();

        var file = await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        file.GetProperty("consent").GetProperty("shareWithFunders").GetBoolean().ShouldBeFalse();
        var published = await PublishedAsync<ConsentChanged>(m => m.CaseId == id);
        published.CaseVersion.ShouldBe(2);
        published.Consent.ShouldBe(new ConsentScopes(false, true));

        // The same consent again is no change: no event, the same version.
        using var again = await officer.SendAsync(
            "PUT", $"/api/cases/{id}/consent", """{"shareWithFunders":false,"shareWithRelocationHost":true}""");
        (await again.ShouldBe(HttpStatusCode.OK)).GetProperty("version").GetInt64().ShouldBe(2);
        again.ETagVersion().ShouldBe(2);

        var history = await intake.As("auditor-1", "auditor").SendAsync("GET", $"/audit/cases/{id}/history")
            .ShouldBe(HttpStatusCode.OK);
        var line = history.GetProperty("entries").EnumerateArray()
            .Single(e => e.Text("type") == "DefenderConsentChanged");
        line.Text("summary")!.ShouldContain("funders now no (was yes)");
        // Delivery is at least once: one fact is one message id, however often it was handed over.
        PublishedSoFar<ConsentChanged>(m => m.CaseId == id)
            .Select(m => m.Context.MessageId).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_share_without_personal_data_is_listed_for_B_accepted_read_without_it_and_revoked()
    {
        var officer = Officer(out var user);
        var body = IntakeBodies.Case($"Amina Shared {Guid.NewGuid():N}"[..26]);
        var id = await IntakeHost.OpenAsync(officer, body);
        var supervisorB = OfB("supervisor");
        var officerB = OfB("officer");

        using var referred = await officer.SendAsync(
            "POST", $"/api/cases/{id}/referrals", IntakeBodies.Referral(B).ToJsonString(), ifMatch: "\"1\"");
        var created = await referred.ShouldBe(HttpStatusCode.Created);
        referred.ETagVersion().ShouldBe(2);
        referred.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}");
        var referralId = created.GetProperty("referralId").GetGuid();

        // Before it accepts, B has no standing on the case: it does not exist for B, but the inbox shows it.
        await supervisorB.SendAsync("GET", $"/api/cases/{id}").ShouldBeProblem(HttpStatusCode.NotFound);
        var inbox = await supervisorB.SendAsync("GET", "/api/referrals").ShouldBe(HttpStatusCode.OK);
        var item = inbox.EnumerateArray().Single(r => r.GetProperty("referralId").GetGuid() == referralId);
        (item.GetProperty("caseId").GetGuid(), item.Text("fromOrganisation"), item.Text("kind"), item.Text("status"))
            .ShouldBe((id, TestTokens.OrganisationA, "share", "pending"));
        item.Text("reason").ShouldBe(IntakeBodies.ReferralReason);
        item.Text("country").ShouldBe("CO");
        item.GetProperty("threatTypes")[0].GetString().ShouldBe("physical");
        item.GetRawText().ShouldNotContain(body["defender"]!["fullName"]!.GetValue<string>());
        var forOfficerB = await officerB.SendAsync("GET", "/api/referrals?status=pending").ShouldBe(HttpStatusCode.OK);
        forOfficerB.EnumerateArray().Single(r => r.GetProperty("referralId").GetGuid() == referralId)
            .GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        (await officer.SendAsync("GET", "/api/referrals").ShouldBe(HttpStatusCode.OK)).EnumerateArray()
            .ShouldNotContain(r => r.GetProperty("caseId").GetGuid() == id);

        using var accepted = await supervisorB.SendAsync("POST", Step(id, referralId, "acceptance"));
        (await accepted.ShouldBe(HttpStatusCode.OK)).Text("status").ShouldBe("accepted");
        accepted.ETagVersion().ShouldBe(3);
        var holders = await PublishedAsync<CaseHoldersChanged>(m => m.CaseId == id && m.CaseVersion == 3);
        holders.Owner.ShouldBe(TestTokens.OrganisationA);
        holders.Partners.ShouldBe([new CasePartner(B, false)]);

        var read = await officerB.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        read.Text("readAs").ShouldBe("partner");
        read.Text("personalData").ShouldBe("withheldForRole");
        read.Text("organisation").ShouldBe(TestTokens.OrganisationA);
        read.GetProperty("defender").ValueKind.ShouldBe(JsonValueKind.Null);
        read.GetRawText().ShouldNotContain(body["defender"]!["fullName"]!.GetValue<string>());
        read.GetRawText().ShouldNotContain("Calle 5");
        read.GetRawText().ShouldNotContain(IntakeBodies.ReferralReason);
        var partnerList = await officerB.SendAsync("GET", "/api/cases").ShouldBe(HttpStatusCode.OK);
        var row = partnerList.Items().Single(r => r.GetProperty("id").GetGuid() == id);
        row.GetProperty("shared").GetBoolean().ShouldBeTrue();
        row.Text("organisation").ShouldBe(TestTokens.OrganisationA);
        var ownList = await officer.SendAsync("GET", "/api/cases").ShouldBe(HttpStatusCode.OK);
        ownList.Items().Single(r => r.GetProperty("id").GetGuid() == id).GetProperty("shared").GetBoolean()
            .ShouldBeFalse();

        // A partner reads, never changes.
        await officerB.SendAsync("PUT", $"/api/cases/{id}/consent",
            """{"shareWithFunders":false,"shareWithRelocationHost":false}""").ShouldBeProblem(HttpStatusCode.Forbidden);
        await supervisorB.SendAsync("POST", $"/api/cases/{id}/threats", IntakeBodies.Threat().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Forbidden);

        var own = await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        own.Text("readAs").ShouldBe("caseworker");
        var referral = own.GetProperty("referrals").EnumerateArray().ShouldHaveSingleItem();
        referral.Text("reason").ShouldBe(IntakeBodies.ReferralReason);
        (referral.Text("toOrganisation"), referral.Text("status"), referral.Text("referredBy"))
            .ShouldBe((B, "accepted", user));
        own.GetProperty("partners")[0].Text("organisation").ShouldBe(B);

        using var revoked = await officer.SendAsync("POST", Step(id, referralId, "revocation"), ifMatch: "\"3\"");
        (await revoked.ShouldBe(HttpStatusCode.OK)).Text("status").ShouldBe("revoked");
        revoked.ETagVersion().ShouldBe(4);
        (await PublishedAsync<CaseHoldersChanged>(m => m.CaseId == id && m.CaseVersion == 4)).Partners.ShouldBeEmpty();
        await officerB.SendAsync("GET", $"/api/cases/{id}").ShouldBeProblem(HttpStatusCode.NotFound);
        (await officerB.SendAsync("GET", "/api/cases").ShouldBe(HttpStatusCode.OK)).Items()
            .ShouldNotContain(r => r.GetProperty("id").GetGuid() == id);

        var history = await intake.As("auditor-1", "auditor").SendAsync("GET", $"/audit/cases/{id}/history")
            .ShouldBe(HttpStatusCode.OK);
        var types = history.GetProperty("entries").EnumerateArray().Select(e => e.Text("type")).ToArray();
        types.ShouldContain("CaseReferred");
        types.ShouldContain("ReferralAccepted");
        types.ShouldContain("ReferralRevoked");
        history.GetRawText().ShouldNotContain(IntakeBodies.ReferralReason);
    }

    [Fact]
    public async Task A_share_with_personal_data_lets_B_read_the_defender_but_not_change_the_case()
    {
        var officer = Officer(out _);
        var name = $"Amina Consented {Guid.NewGuid():N}"[..28];
        var id = await IntakeHost.OpenAsync(officer, IntakeBodies.Case(name));
        var referralId = await IntakeHost.ReferAsync(officer, id, B, "share", sharePersonalData: true);
        await OfB("supervisor").SendAsync("POST", Step(id, referralId, "acceptance")).ShouldBe(HttpStatusCode.OK);

        var officerB = OfB("officer");
        var read = await officerB.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        read.Text("readAs").ShouldBe("partner");
        read.Text("personalData").ShouldBe("visible");
        read.GetProperty("defender").Text("fullName").ShouldBe(name);
        read.GetProperty("threats")[0].Text("description").ShouldBe("Men on motorbikes followed her home.");
        read.GetProperty("partners")[0].GetProperty("seesPersonalData").GetBoolean().ShouldBeTrue();
        read.GetProperty("referrals")[0].GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);

        var version = read.GetProperty("version").GetInt64();
        await officerB.SendAsync("PUT", $"/api/cases/{id}/consent",
            """{"shareWithFunders":false,"shareWithRelocationHost":false}""").ShouldBeProblem(HttpStatusCode.Forbidden);
        await officerB.SendAsync("POST", $"/api/cases/{id}/referrals", IntakeBodies.Referral("org-c").ToJsonString())
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await officerB.SendAsync("POST", Step(id, referralId, "revocation")).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await VersionAsync(officer, id)).ShouldBe(version);
    }

    [Fact]
    public async Task After_a_transfer_B_acts_on_the_case_and_A_no_longer_knows_it()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);
        var referralId = await IntakeHost.ReferAsync(officer, id, B, "transfer");
        var supervisorB = OfB("supervisor");

        await supervisorB.SendAsync("POST", Step(id, referralId, "acceptance")).ShouldBe(HttpStatusCode.OK);
        var holders = await PublishedAsync<CaseHoldersChanged>(m => m.CaseId == id);
        (holders.Owner, holders.CaseVersion).ShouldBe((B, 3L));
        holders.Partners.ShouldBeEmpty();

        var read = await supervisorB.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        (read.Text("readAs"), read.Text("organisation"), read.Text("personalData"))
            .ShouldBe(("caseworker", B, "visible"));
        read.GetProperty("referrals")[0].Text("reason").ShouldBe(IntakeBodies.ReferralReason);
        await supervisorB.SendAsync("PUT", $"/api/cases/{id}/consent",
            """{"shareWithFunders":false,"shareWithRelocationHost":false}""").ShouldBe(HttpStatusCode.OK);
        var listB = await supervisorB.SendAsync("GET", "/api/cases").ShouldBe(HttpStatusCode.OK);
        listB.Items().Single(r => r.GetProperty("id").GetGuid() == id).GetProperty("shared").GetBoolean()
            .ShouldBeFalse();

        // The former owner keeps nothing: the opener and A's supervisors are told the case does not exist.
        var version = await VersionAsync(supervisorB, id);
        await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBeProblem(HttpStatusCode.NotFound);
        await intake.As("supervisor-a", "supervisor").SendAsync("GET", $"/api/cases/{id}")
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await officer.SendAsync("POST", $"/api/cases/{id}/threats", IntakeBodies.Threat().ToJsonString())
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await officer.SendAsync("PUT", $"/api/cases/{id}/consent",
            """{"shareWithFunders":true,"shareWithRelocationHost":true}""").ShouldBeProblem(HttpStatusCode.NotFound);
        (await officer.SendAsync("GET", "/api/cases").ShouldBe(HttpStatusCode.OK)).Items()
            .ShouldNotContain(r => r.GetProperty("id").GetGuid() == id);

        // An accepted transfer is not undone by revoking it.
        var problem = await supervisorB.SendAsync("POST", Step(id, referralId, "revocation"))
            .ShouldBeProblem(HttpStatusCode.Conflict);
        problem.Text("status").ShouldBe("accepted");
        (await VersionAsync(supervisorB, id)).ShouldBe(version);
    }

    [Fact]
    public async Task A_declined_referral_keeps_its_reason_for_the_owner_and_cannot_be_answered_again()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);
        var referralId = await IntakeHost.ReferAsync(officer, id, B, "share");
        var supervisorB = OfB("supervisor");
        const string why = "No capacity for new cases in Cauca this month.";

        using var declined = await supervisorB.SendAsync(
            "POST", Step(id, referralId, "decline"), $$"""{"reason":"{{why}}"}""");
        (await declined.ShouldBe(HttpStatusCode.OK)).Text("status").ShouldBe("declined");
        declined.ETagVersion().ShouldBe(3);

        var own = await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        var referral = own.GetProperty("referrals")[0];
        (referral.Text("status"), referral.Text("declineReason")).ShouldBe(("declined", why));
        referral.Text("decidedBy").ShouldStartWith("supervisor-b-");
        own.GetProperty("partners").GetArrayLength().ShouldBe(0);
        await supervisorB.SendAsync("GET", $"/api/cases/{id}").ShouldBeProblem(HttpStatusCode.NotFound);
        var inbox = await supervisorB.SendAsync("GET", "/api/referrals?status=declined").ShouldBe(HttpStatusCode.OK);
        inbox.EnumerateArray().ShouldContain(r => r.GetProperty("referralId").GetGuid() == referralId);
        (await supervisorB.SendAsync("GET", "/api/referrals").ShouldBe(HttpStatusCode.OK)).EnumerateArray()
            .ShouldNotContain(r => r.GetProperty("referralId").GetGuid() == referralId);
        var history = await intake.As("auditor-1", "auditor").SendAsync("GET", $"/audit/cases/{id}/history")
            .ShouldBe(HttpStatusCode.OK);
        history.GetRawText().ShouldNotContain(why);

        // Answered once: accepting, declining or revoking it again is a conflict and changes nothing.
        await RefusedAsync(officer, id, supervisorB, "POST", Step(id, referralId, "acceptance"), null,
            HttpStatusCode.Conflict);
        await RefusedAsync(officer, id, supervisorB, "POST", Step(id, referralId, "decline"), null,
            HttpStatusCode.Conflict);
        await RefusedAsync(officer, id, officer, "POST", Step(id, referralId, "revocation"), null,
            HttpStatusCode.Conflict);
        // Over, it no longer stands in the way of a new referral to B.
        await IntakeHost.ReferAsync(officer, id, B, "transfer");
    }

    [Fact]
    public async Task Only_a_supervisor_of_the_receiving_organisation_answers_others_get_404_or_403()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);
        var referralId = await IntakeHost.ReferAsync(officer, id, B, "share");
        var accept = Step(id, referralId, "acceptance");
        var decline = Step(id, referralId, "decline");

        foreach (var step in new[] { accept, decline })
        {
            // B's officer and another organisation's supervisor have no standing: the case does not exist.
            await RefusedAsync(officer, id, OfB("officer"), "POST", step, null, HttpStatusCode.NotFound);
            await RefusedAsync(officer, id, intake.Of("org-c", "supervisor-c", "supervisor"), "POST", step, null,
                HttpStatusCode.NotFound);
            // The owner's staff know the case but do not answer its referral.
            await RefusedAsync(officer, id, officer, "POST", step, null, HttpStatusCode.Forbidden);
            await RefusedAsync(officer, id, intake.As("supervisor-a", "supervisor"), "POST", step, null,
                HttpStatusCode.Forbidden);
            // A stale version is told only to whom may answer.
            var problem = await RefusedAsync(officer, id, OfB("supervisor"), "POST", step, null,
                HttpStatusCode.Conflict, ifMatch: "\"9\"");
            problem.GetProperty("currentVersion").GetInt64().ShouldBe(2);
            await RefusedAsync(officer, id, OfB("officer"), "POST", step, null, HttpStatusCode.NotFound,
                ifMatch: "\"9\"");
        }

        // B's supervisor may not act on the case as its owner does.
        var supervisorB = OfB("supervisor");
        await RefusedAsync(officer, id, supervisorB, "PUT", $"/api/cases/{id}/consent",
            """{"shareWithFunders":false,"shareWithRelocationHost":false}""", HttpStatusCode.NotFound);
        await RefusedAsync(officer, id, supervisorB, "POST", $"/api/cases/{id}/referrals",
            IntakeBodies.Referral("org-c").ToJsonString(), HttpStatusCode.NotFound);
        await RefusedAsync(officer, id, supervisorB, "POST", Step(id, referralId, "revocation"), null,
            HttpStatusCode.NotFound);
        await RefusedAsync(officer, id, supervisorB, "POST", Step(id, Guid.NewGuid(), "acceptance"), null,
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_consent_refuses_a_stale_version_and_a_colleague_and_changes_nothing()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);
        const string body = """{"shareWithFunders":false,"shareWithRelocationHost":false}""";

        var problem = await RefusedAsync(officer, id, officer, "PUT", $"/api/cases/{id}/consent", body,
            HttpStatusCode.Conflict, ifMatch: "\"7\"");
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(1);
        await RefusedAsync(officer, id, Officer(out _), "PUT", $"/api/cases/{id}/consent", body,
            HttpStatusCode.Forbidden);
        await RefusedAsync(officer, id, intake.Anonymous(), "PUT", $"/api/cases/{id}/consent", body,
            HttpStatusCode.Unauthorized);
        await RefusedAsync(officer, id, officer, "PUT", $"/api/cases/{id}/consent", """{"shareWithFunders":true}""",
            HttpStatusCode.BadRequest, field: "shareWithRelocationHost");
    }

    [Fact]
    public async Task A_decline_without_a_body_is_a_decline_without_a_reason()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);
        var referralId = await IntakeHost.ReferAsync(officer, id, B, "transfer");

        await OfB("supervisor").SendAsync("POST", Step(id, referralId, "decline")).ShouldBe(HttpStatusCode.OK);

        var referral = (await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK))
            .GetProperty("referrals")[0];
        referral.Text("status").ShouldBe("declined");
        referral.GetProperty("declineReason").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task After_erasure_a_referral_reason_reads_erased_and_a_new_referral_is_refused()
    {
        var officer = Officer(out _);
        var id = await IntakeHost.OpenAsync(officer);
        var referralId = await IntakeHost.ReferAsync(officer, id, B, "share");
        await intake.As("admin-1", "admin").SendAsync("POST", $"/api/cases/{id}/erasure",
            """{"basis":"defenderRequest"}""").ShouldBe(HttpStatusCode.OK);

        var file = await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        file.GetProperty("referrals")[0].Text("reason").ShouldBe("[erased]");
        var inbox = await OfB("supervisor").SendAsync("GET", "/api/referrals").ShouldBe(HttpStatusCode.OK);
        inbox.EnumerateArray().Single(r => r.GetProperty("referralId").GetGuid() == referralId).Text("reason")
            .ShouldBe("[erased]");
        await RefusedAsync(officer, id, officer, "POST", $"/api/cases/{id}/referrals",
            IntakeBodies.Referral("org-c").ToJsonString(), (HttpStatusCode)422, field: "id");
    }

    /// <summary>
    /// The message intake published that <paramref name="match"/> picks, waited for (15 s at most). Polls what
    /// the harness recorded: its own waits end with its timers, and the collection's host may outlive them.
    /// </summary>
    private Task<T> PublishedAsync<T>(Func<T, bool> match)
        where T : class =>
        Eventually.Get(
            () => Task.FromResult(PublishedSoFar(match).Select(m => m.Context.Message).FirstOrDefault()),
            TimeSpan.FromSeconds(15),
            $"intake publishing the {typeof(T).Name} expected");

    /// <summary>
    /// The messages published so far that match. The harness's own lists wait for more (until its inactivity
    /// timeout, minutes here) once they run out; an already cancelled token makes them stop at the end.
    /// </summary>
    private List<IPublishedMessage<T>> PublishedSoFar<T>(Func<T, bool> match)
        where T : class
    {
        using var now = new CancellationTokenSource();
        now.Cancel();
        return [.. intake.Harness.Published.Select<T>(m => match(m.Context.Message), now.Token)];
    }

    private static async Task<long> VersionAsync(HttpClient caseworker, Guid id) =>
        (await caseworker.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK))
            .GetProperty("version").GetInt64();

    /// <summary>Sends the request as <paramref name="client"/>: refused with a problem, the case unchanged.</summary>
    private static async Task<JsonElement> RefusedAsync(
        HttpClient caseworker, Guid id, HttpClient client, string method, string path, string? body,
        HttpStatusCode status, string? ifMatch = null, string? field = null)
    {
        var before = await VersionAsync(caseworker, id);
        var problem = await client.SendAsync(method, path, body, ifMatch).ShouldBeProblem(status, field);
        (await VersionAsync(caseworker, id)).ShouldBe(before);
        return problem;
    }
}
