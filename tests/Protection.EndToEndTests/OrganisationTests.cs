using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// Organisations bound every role (README, "Organisations"): another organisation's cases, grants, funds and
/// relocations do not exist for a user; a referral shares or transfers a case; the defender's consent decides
/// what a funder or a partner of another organisation sees, and a withdrawal holds on the next read.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class OrganisationTests(ProtectionSystem system)
{
    [Fact]
    public async Task Each_route_walked_by_other_organisations_staff_answers_none_of_its_data_and_changes_nothing()
    {
        var b = $"org-b-{Guid.NewGuid():N}";
        var a = $"org-a-{Guid.NewGuid():N}";
        var world = await FreeTextTests.CaseWithEveryText.CreateAsync(system, b);
        var bOfficer = await system.SignedInFor(b, world.Officer, ["officer"]);
        var bSupervisor = await system.SignedInFor(b, world.Supervisor, ["supervisor"]);
        var bFunder = await system.SignedInFor(b, world.Funder, ["funder"]);

        // A referral of B's case to a third organisation, pending: its steps are walked too.
        var third = $"org-c-{Guid.NewGuid():N}";
        var referral = await bOfficer.PostAsJsonAsync($"/api/cases/{world.CaseId}/referrals", new
        {
            toOrganisation = third, kind = "share", reason = world.Texts.Next("referral reason"),
            sharePersonalData = false,
        });
        referral.StatusCode.ShouldBe(HttpStatusCode.Created, await referral.Content.ReadAsStringAsync());
        var referralId = (await referral.Json()).GetProperty("referralId").GetGuid();
        var reference = (await bOfficer.GetAsync($"/api/cases/{world.CaseId}").OkJson())
            .GetProperty("reference").GetString()!;

        var before = await StateOfAsync(world, bOfficer, bSupervisor, bFunder);

        // What of B's is never to be seen by A: the case, its grants, relocation, measure and referral, every text.
        string[] caseData =
        [
            world.CaseId.ToString(), reference, world.PaidGrant.ToString(), world.RejectedGrant.ToString(),
            world.WithdrawnGrant.ToString(), world.Relocation.ToString(), world.Measure.ToString(),
            referralId.ToString(), .. world.Texts.All,
        ];

        // Funds are listed to every officer to choose one (id, name, currency, organisation): B's fund is B's data
        // for A's funder, who must not see it at all.
        var readers = new Dictionary<string, (HttpClient Client, string[] Secrets)>
        {
            ["officer"] = (await system.SignedInFor(a, $"officer-{Guid.NewGuid():N}", ["officer"]), caseData),
            ["supervisor"] = (await system.SignedInFor(a, $"supervisor-{Guid.NewGuid():N}", ["supervisor"]), caseData),
            ["funder"] = (await system.SignedInFor(a, $"funder-{Guid.NewGuid():N}", ["funder"]),
                [.. caseData, world.Fund.ToString()]),
            ["auditor"] = (await system.SignedInFor(
                $"audit-{Guid.NewGuid():N}", $"auditor-{Guid.NewGuid():N}", ["auditor"], audits: [a]), caseData),
        };

        var contract = await ApiContract.LoadAsync(system.Gateway);
        var operations = contract.Operations
            .Where(o => o.Template.StartsWith("/api/", StringComparison.Ordinal))
            .Where(o => !o.Template.StartsWith("/api/admin", StringComparison.Ordinal))
            .DistinctBy(o => (o.Method, o.Template))
            .ToArray();
        var walked = new List<string>();
        foreach (var (document, method, template) in operations)
        {
            if (Target(template, world, referralId, reference) is not { } path)
            {
                continue; // a route of no one's data in particular (opening a case, creating a fund, the directory)
            }

            foreach (var (role, (client, secrets)) in readers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" && Body(template, world, a) is { } body)
                {
                    request.Content = JsonContent.Create(body);
                }

                var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var what = $"{method} {template} ({document}) as {role} of another organisation";
                foreach (var secret in secrets)
                {
                    text.ShouldNotContain(
                        secret, Shouldly.Case.Sensitive, $"{what} answered {(int)response.StatusCode}: {text}");
                }

                if (!IsList(template))
                {
                    ((int)response.StatusCode).ShouldBeGreaterThanOrEqualTo(
                        400, $"{what} answered {(int)response.StatusCode}: {text}");
                }

                walked.Add($"{method} {template} as {role}");
            }
        }

        // Every case, grant, fund and relocation route and every list was walked, by each of the four roles.
        walked.Count.ShouldBeGreaterThan(4 * 35, string.Join(Environment.NewLine, walked));
        (await StateOfAsync(world, bOfficer, bSupervisor, bFunder)).ShouldBe(before, "B's data after A's walk");
    }

    [Fact]
    public async Task A_case_referred_and_accepted_as_shared_is_read_without_what_consent_withholds_until_revoked()
    {
        var (a, b) = ($"org-a-{Guid.NewGuid():N}", $"org-b-{Guid.NewGuid():N}");
        var aOfficer = await system.SignedInFor(a, $"officer-{Guid.NewGuid():N}", ["officer"]);
        var aSupervisor = await system.SignedInFor(a, $"supervisor-{Guid.NewGuid():N}", ["supervisor"]);
        var bSupervisor = await system.SignedInFor(b, $"supervisor-{Guid.NewGuid():N}", ["supervisor"]);
        var bOfficer = await system.SignedInFor(b, $"officer-{Guid.NewGuid():N}", ["officer"]);
        var defender = Cases.Defender.Unique();
        var (caseId, reference) = await aOfficer.OpenAsync(defender);
        var casePath = $"/api/cases/{caseId}";
        await aOfficer.WaitForTriageAsync(caseId);

        // Before the referral, B does not know the case exists.
        (await bOfficer.GetAsync(casePath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var reason = $"Needs legal support near the border {Guid.NewGuid():N}";
        var referred = await aOfficer.PostAsJsonAsync($"{casePath}/referrals", new
        {
            toOrganisation = b, kind = "share", reason, sharePersonalData = false,
        });
        referred.StatusCode.ShouldBe(HttpStatusCode.Created, await referred.Content.ReadAsStringAsync());
        var referralId = (await referred.Json()).GetProperty("referralId").GetGuid();

        // B's supervisor finds it in the inbox, with the reason, and accepts it.
        var inbox = await bSupervisor.GetAsync("/api/referrals").OkJson();
        var inInbox = inbox.EnumerateArray().Single(r => r.GetProperty("referralId").GetGuid() == referralId);
        inInbox.GetProperty("caseReference").GetString().ShouldBe(reference);
        inInbox.GetProperty("fromOrganisation").GetString().ShouldBe(a);
        inInbox.GetProperty("reason").GetString().ShouldBe(reason);
        defender.ShouldNotAppearIn(inbox.GetRawText());
        (await bOfficer.PostAsync($"{casePath}/referrals/{referralId}/acceptance", null)).StatusCode
            .ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound); // a supervisor accepts
        await bSupervisor.PostAsync($"{casePath}/referrals/{referralId}/acceptance", null).OkJson();

        // B's officer reads the case as a partner: no personal data, since the referral did not share it.
        var file = await bOfficer.GetAsync(casePath).OkJson();
        file.GetProperty("readAs").GetString().ShouldBe("partner");
        file.GetProperty("reference").GetString().ShouldBe(reference);
        defender.ShouldNotAppearIn(file.GetRawText());
        file.GetRawText().ShouldNotContain(reason);
        var list = await bOfficer.GetAsync("/api/cases").OkJson();
        list.GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("id").GetGuid() == caseId).GetProperty("shared").GetBoolean().ShouldBeTrue();
        var triage = await bOfficer.WaitForTriageAsync(caseId);
        defender.ShouldNotAppearIn(triage.GetRawText());

        // A partner reads; it does not act.
        (await bOfficer.PostAsJsonAsync($"{casePath}/threats", Cases.ThreatBody(defender))).StatusCode
            .ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        (await bSupervisor.PostAsJsonAsync($"{casePath}/assignment", new { officer = "someone" })).StatusCode
            .ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);

        // A revokes: at once in intake, and as soon as triage hears of it there.
        await aOfficer.PostAsync($"{casePath}/referrals/{referralId}/revocation", null).OkJson();
        (await bOfficer.GetAsync(casePath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bOfficer.GetAsync("/api/cases").OkJson()).GetRawText().ShouldNotContain(caseId.ToString());
        await Eventually.Get(
            async () => (await bOfficer.GetAsync($"{casePath}/triage")).StatusCode == HttpStatusCode.NotFound
                ? new object()
                : null,
            Triage.Propagation,
            "triage to hear that the share was revoked");

        // The history shows each step, and none of its free text.
        var history = await aSupervisor.GetAsync($"{casePath}/history").OkJson();
        var types = history.GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()!).ToArray();
        types.ShouldContain("CaseReferred");
        types.ShouldContain("ReferralAccepted");
        types.ShouldContain("ReferralRevoked");
        history.GetRawText().ShouldNotContain(reason);
        defender.ShouldNotAppearIn(history.GetRawText());

        // Nor does any process's log: referrals, their answers and the holders travel without personal data.
        foreach (var process in new[] { system.Intake, system.Triage, system.Assistance, system.Relocation })
        {
            process.Output.ShouldNotContain(reason, Shouldly.Case.Sensitive, process.Name);
            defender.ShouldNotAppearIn(process.Output);
        }
    }

    [Fact]
    public async Task A_case_transferred_moves_to_the_receiving_organisation_and_leaves_the_first()
    {
        var (a, b) = ($"org-a-{Guid.NewGuid():N}", $"org-b-{Guid.NewGuid():N}");
        var officerId = $"officer-{Guid.NewGuid():N}";
        var aOfficer = await system.SignedInFor(a, officerId, ["officer"]);
        var bSupervisor = await system.SignedInFor(b, $"supervisor-{Guid.NewGuid():N}", ["supervisor"]);
        var bOfficerId = $"officer-{Guid.NewGuid():N}";
        var bOfficer = await system.SignedInFor(b, bOfficerId, ["officer"]);
        var defender = Cases.Defender.Unique();
        var (caseId, _) = await aOfficer.OpenAsync(defender);
        var casePath = $"/api/cases/{caseId}";
        await aOfficer.WaitForTriageAsync(caseId);

        var referred = await aOfficer.PostAsJsonAsync($"{casePath}/referrals", new
        {
            toOrganisation = b, kind = "transfer", reason = "Relocating to their region", sharePersonalData = true,
        });
        referred.StatusCode.ShouldBe(HttpStatusCode.Created, await referred.Content.ReadAsStringAsync());
        var referralId = (await referred.Json()).GetProperty("referralId").GetGuid();
        await bSupervisor.PostAsync($"{casePath}/referrals/{referralId}/acceptance", null).OkJson();

        // B owns it: its supervisor reads the full file and, once triage knows, assigns it to B's officer.
        var file = await bSupervisor.GetAsync(casePath).OkJson();
        file.GetProperty("organisation").GetString().ShouldBe(b);
        file.GetRawText().ShouldContain(defender.FullName);
        (await aOfficer.GetAsync(casePath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var assigned = await Eventually.Get(
            async () =>
            {
                var response = await bSupervisor.PostAsJsonAsync(
                    $"{casePath}/assignment", new { officer = bOfficerId });
                return response.IsSuccessStatusCode ? response : null;
            },
            Triage.Propagation,
            "triage to hear of the transfer");
        assigned.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bOfficer.WaitForTriageAsync(caseId)).GetProperty("assignedTo").GetString().ShouldBe(bOfficerId);
        await Eventually.Get(
            async () => (await aOfficer.GetAsync($"{casePath}/triage")).StatusCode == HttpStatusCode.NotFound
                ? new object()
                : null,
            Triage.Propagation,
            "triage to turn the first organisation away");
    }

    [Fact]
    public async Task A_grant_on_another_organisations_fund_needs_the_defenders_consent_and_a_withdrawal_holds()
    {
        var (a, fundingOrg) = ($"org-a-{Guid.NewGuid():N}", $"fund-{Guid.NewGuid():N}");
        var aOfficer = await system.SignedInFor(a, $"officer-{Guid.NewGuid():N}", ["officer"]);
        var aSupervisor = await system.SignedInFor(a, $"supervisor-{Guid.NewGuid():N}", ["supervisor"]);
        var ownFunder = await system.SignedInFor(a, $"funder-{Guid.NewGuid():N}", ["funder"]);
        var funder = await system.SignedInFor(fundingOrg, $"funder-{Guid.NewGuid():N}", ["funder"]);
        var otherFunder = await system.SignedInFor(fundingOrg, $"funder-{Guid.NewGuid():N}", ["funder"]);
        var defender = Cases.Defender.Unique();
        var body = Cases.OpenCaseBody(defender);
        body["consent"]!["shareWithFunders"] = false;
        var opened = await aOfficer.PostAsJsonAsync("/api/cases", body);
        opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var caseId = (await opened.Json()).GetProperty("id").GetGuid();
        var casePath = $"/api/cases/{caseId}";
        await aOfficer.WaitForAsync($"{casePath}/grants", _ => true, "assistance to know the case");

        // Without consent: a grant from the case's own organisation's fund, never from another's.
        var ownFund = await ownFunder.CreateFundAsync(5_000m);
        var foreignFund = await funder.CreateFundAsync(5_000m);
        var refused = await aOfficer.PostAsJsonAsync(
            $"{casePath}/grants", Funds.GrantBody(foreignFund, 700m, "legal"));
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("consent.shareWithFunders");
        (await aOfficer.PostAsJsonAsync($"{casePath}/grants", Funds.GrantBody(ownFund, 300m, "legal"))).StatusCode
            .ShouldBe(HttpStatusCode.Created);
        (await funder.GetAsync("/api/grants").OkJson()).GetRawText().ShouldNotContain(caseId.ToString());

        // The officer records the defender's consent; once assistance has it, the request is accepted.
        var consent = await aOfficer.PutAsJsonAsync(
            $"{casePath}/consent", new { shareWithFunders = true, shareWithRelocationHost = false });
        consent.StatusCode.ShouldBe(HttpStatusCode.OK, await consent.Content.ReadAsStringAsync());
        var requested = await Eventually.Get(
            async () =>
            {
                var response = await aOfficer.PostAsJsonAsync(
                    $"{casePath}/grants", Funds.GrantBody(foreignFund, 700m, "legal"));
                return response.StatusCode == HttpStatusCode.UnprocessableEntity ? null : response;
            },
            Triage.Propagation,
            "assistance to hear of the consent");
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var grantId = (await requested.Json()).GetProperty("id").GetGuid();

        // The fund's funders see the case's reference, country, risk and threat types; never personal data.
        var seen = await funder.GetAsync($"/api/grants/{grantId}").OkJson();
        seen.GetRawText().ShouldContain("CO");
        defender.ShouldNotAppearIn(seen.GetRawText());
        (await funder.GetAsync("/api/grants").OkJson()).GetRawText().ShouldContain(grantId.ToString());

        // Withdrawn: once assistance has heard (a decision sent before that is taken, as any message in
        // flight is), its reads withhold the case's facts, and no decision is taken on it.
        (await aOfficer.PutAsJsonAsync(
            $"{casePath}/consent", new { shareWithFunders = false, shareWithRelocationHost = false })).StatusCode
            .ShouldBe(HttpStatusCode.OK);
        await funder.WaitForAsync(
            $"/api/grants/{grantId}",
            grant => !grant.GetRawText().Contains("\"CO\"", StringComparison.Ordinal),
            "assistance to hear that consent was withdrawn");
        var decision = await otherFunder.PostAsJsonAsync(
            $"/api/grants/{grantId}/decisions", new { decision = "approve" });
        decision.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await decision.Content.ReadAsStringAsync());
        (await decision.Content.ReadAsStringAsync()).ShouldContain("consent.shareWithFunders");

        // Each consent change is in the case's history.
        var history = await aSupervisor.GetAsync($"{casePath}/history").OkJson();
        history.GetProperty("entries").EnumerateArray()
            .Count(e => e.GetProperty("type").GetString() == "DefenderConsentChanged").ShouldBe(2);
    }

    [Fact]
    public async Task An_auditor_reads_only_the_cases_of_the_organisations_their_body_audits()
    {
        var (a, b) = ($"org-a-{Guid.NewGuid():N}", $"org-b-{Guid.NewGuid():N}");
        var officer = await system.SignedInFor(a, $"officer-{Guid.NewGuid():N}", ["officer"]);
        var (caseId, _) = await officer.OpenAsync(Cases.Defender.Unique());
        var body = $"audit-{Guid.NewGuid():N}";
        var ofA = await system.SignedInFor(body, $"auditor-{Guid.NewGuid():N}", ["auditor"], audits: [a]);
        var ofB = await system.SignedInFor(body, $"auditor-{Guid.NewGuid():N}", ["auditor"], audits: [b]);

        await ofA.WaitForAsync($"/api/cases/{caseId}/history", h => h.GetProperty("complete").GetBoolean(), "history");
        (await ofA.GetAsync($"/api/cases/{caseId}/verify").OkJson()).GetProperty("intact").GetBoolean().ShouldBeTrue();
        foreach (var path in new[] { "", "/history", "/verify", "/access-log", "/export", "/triage" })
        {
            (await ofB.GetAsync($"/api/cases/{caseId}{path}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }

        // Found by reference (in any case of letters) by the auditor of A and by an administrator; not by B's.
        var reference = (await officer.GetAsync($"/api/cases/{caseId}").OkJson()).GetProperty("reference").GetString()!;
        var admin = await system.SignedInFor($"platform-{Guid.NewGuid():N}", $"admin-{Guid.NewGuid():N}", ["admin"]);
        foreach (var finder in new[] { ofA, admin, officer })
        {
            var found = await finder.GetAsync($"/api/cases/by-reference/{reference.ToLowerInvariant()}").OkJson();
            found.GetProperty("id").GetGuid().ShouldBe(caseId);
        }

        (await ofB.GetAsync($"/api/cases/by-reference/{reference}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ofA.GetAsync("/api/cases/by-reference/PC-1999-999999")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>The address of B's item a route template names; null for a route of nobody's item.</summary>
    private static string? Target(
        string template, FreeTextTests.CaseWithEveryText world, Guid referralId, string reference)
    {
        if (IsList(template))
        {
            return template;
        }

        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return null;
        }

        var id = template switch
        {
            _ when template.StartsWith("/api/cases/", StringComparison.Ordinal) => world.CaseId,
            _ when template.StartsWith("/api/grants/", StringComparison.Ordinal) => world.PaidGrant,
            _ when template.StartsWith("/api/funds/", StringComparison.Ordinal) => world.Fund,
            _ when template.StartsWith("/api/relocations/", StringComparison.Ordinal) => world.Relocation,
            _ => throw new InvalidOperationException($"The walk does not know whose item {template} names."),
        };
        return template
            .Replace("{id}", id.ToString(), StringComparison.Ordinal)
            .Replace("{measureId}", world.Measure.ToString(), StringComparison.Ordinal)
            .Replace("{referralId}", referralId.ToString(), StringComparison.Ordinal)
            .Replace("{reference}", reference, StringComparison.Ordinal);
    }

    private static bool IsList(string template) => template is "/api/cases" or "/api/grants" or "/api/funds"
        or "/api/referrals" or "/api/triage/queue" or "/api/relocations/hosted";

    /// <summary>A request body that is valid for the route, so that only the organisation can refuse it.</summary>
    private static JsonNode? Body(string template, FreeTextTests.CaseWithEveryText world, string ownOrganisation)
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd");
        var last = template[(template.LastIndexOf('/') + 1)..];
        return last switch
        {
            "threats" => Cases.ThreatBody(Cases.Defender.Unique()),
            "assessment" => new JsonObject { ["scores"] = Triage.Scores(1, 1, 1, 1, 1) },
            "override" => new JsonObject { ["level"] = "low", ["reason"] = "walk" },
            "assignment" => new JsonObject { ["officer"] = "walker" },
            "measures" => new JsonObject
            {
                ["area"] = "threatsOnTheGround", ["type"] = "safe-house", ["owner"] = "walker", ["dueOn"] = day,
            },
            "cancel" or "reopen" or "withdrawal" or "decline" => new JsonObject { ["reason"] = "walk" },
            "close" => new JsonObject { ["outcome"] = "riskReduced" },
            "grants" => Funds.GrantBody(world.Fund, 10m, "legal"),
            "decisions" => new JsonObject { ["decision"] = "approve" },
            "disbursements" or "top-ups" => new JsonObject { ["amount"] = 1m },
            "reports" => new JsonObject { ["spent"] = 1m, ["summary"] = "walk" },
            "relocations" => RelocationTests.RelocationBody("inCountrySafeHouse"),
            "plan" => RelocationTests.PlanBody("CO"),
            "check-ins" => new JsonObject { ["status"] = "safe" },
            "extend" => new JsonObject { ["endOn"] = day, ["reason"] = "walk" },
            "consent" => new JsonObject { ["shareWithFunders"] = false, ["shareWithRelocationHost"] = false },
            "referrals" => new JsonObject
            {
                ["toOrganisation"] = ownOrganisation, ["kind"] = "transfer", ["reason"] = "walk",
                ["sharePersonalData"] = true,
            },
            "erasure" => new JsonObject { ["basis"] = "defenderRequest", ["confirmReference"] = "walk" },
            _ => null,
        };
    }

    /// <summary>B's case, grants, fund and relocation as B's staff read them: what A's walk must leave alone.</summary>
    private static async Task<string> StateOfAsync(
        FreeTextTests.CaseWithEveryText world, HttpClient officer, HttpClient supervisor, HttpClient funder)
    {
        var parts = new List<string>
        {
            (await officer.GetAsync($"/api/cases/{world.CaseId}").OkJson()).GetProperty("version").GetRawText(),
            (await supervisor.GetAsync($"/api/cases/{world.CaseId}/triage").OkJson()).GetProperty("version")
                .GetRawText(),
            (await officer.GetAsync($"/api/relocations/{world.Relocation}").OkJson()).GetProperty("version")
                .GetRawText(),
        };
        foreach (var grant in new[] { world.PaidGrant, world.RejectedGrant, world.WithdrawnGrant })
        {
            parts.Add((await funder.GetAsync($"/api/grants/{grant}").OkJson()).GetProperty("version").GetRawText());
        }

        var fund = await funder.GetAsync($"/api/funds/{world.Fund}").OkJson();
        parts.Add(fund.GetProperty("balance").GetRawText());
        parts.Add(fund.GetProperty("available").GetRawText());
        return string.Join(" ", parts);
    }
}
