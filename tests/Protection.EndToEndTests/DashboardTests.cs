using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// The dashboards through the gateway, for a fresh protection organisation and a fresh funding one: cases at
/// several stages and risks, assessments, grants approved, rejected and paid, relocations. Every figure is
/// computed here from the API's own lists and views, and the dashboards, once their projections caught up,
/// must give the same. What the API cannot make without moving a service's clock is said where it is left out.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DashboardTests(ProtectionSystem system, ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(90);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<ProtectionSystem, Story> Told = [];

    [Fact]
    public async Task The_dashboards_give_the_figures_the_api_lists_give()
    {
        var story = await StoryAsync();

        // Cases by stage (closed apart) and risk, and the overdue triage, from the case list.
        var list = await story.Supervisor.GetFromJsonAsync<JsonElement>("/api/cases?pageSize=200");
        var items = list.GetProperty("items").EnumerateArray().ToArray();
        items.Length.ShouldBe(story.Cases.Count);
        var expectedCells = items
            .GroupBy(c => $"{StageOf(c)}/{Word(c, "risk") ?? "-"}")
            .ToDictionary(g => g.Key, g => g.Count());
        var cases = await FreshAsync(story.Supervisor, "/api/dashboards/cases", a =>
            a.GetProperty("total").GetInt32() == items.Length);
        var cells = cases.GetProperty("byStageAndRisk").EnumerateArray()
            .Where(c => c.GetProperty("cases").GetInt32() > 0)
            .ToDictionary(c => $"{Word(c, "stage")}/{Word(c, "risk") ?? "-"}", c => c.GetProperty("cases").GetInt32());
        cells.ShouldBe(expectedCells, ignoreOrder: true);
        cases.GetProperty("overdueTriage").GetInt32()
            .ShouldBe(items.Count(c => c.GetProperty("triageOverdue").GetBoolean()));
        expectedCells.Keys.Select(k => k.Split('/')[0]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(4);

        // Hours from opening to the first assessment, by month of opening, from each case's triage view.
        var hoursByMonth = new Dictionary<string, List<double>>();
        var openedByMonth = new Dictionary<string, int>();
        foreach (var c in items)
        {
            var openedAt = c.GetProperty("openedAt").GetDateTimeOffset();
            var month = openedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            openedByMonth[month] = openedByMonth.GetValueOrDefault(month) + 1;
            var triage = await story.Supervisor.GetFromJsonAsync<JsonElement>(
                $"/api/cases/{c.GetProperty("id").GetGuid()}/triage");
            var assessedAt = triage.GetProperty("riskHistory").EnumerateArray()
                .Where(r => Word(r, "basis") == "assessment")
                .Select(r => (DateTimeOffset?)r.GetProperty("at").GetDateTimeOffset())
                .Min();
            if (assessedAt is { } at)
            {
                (hoursByMonth.TryGetValue(month, out var hours) ? hours : hoursByMonth[month] = []).Add(
                    (at - openedAt).TotalHours);
            }
        }

        hoursByMonth.Values.Sum(h => h.Count).ShouldBe(story.Assessed);
        var triageAnswer = await FreshAsync(story.Supervisor, "/api/dashboards/triage", a =>
            a.GetProperty("months").EnumerateArray().Sum(m => m.GetProperty("assessed").GetInt32()) == story.Assessed);
        foreach (var m in triageAnswer.GetProperty("months").EnumerateArray())
        {
            var month = m.GetProperty("month").GetString()!;
            m.GetProperty("opened").GetInt32().ShouldBe(openedByMonth.GetValueOrDefault(month), month);
            var hours = hoursByMonth.GetValueOrDefault(month) ?? [];
            m.GetProperty("assessed").GetInt32().ShouldBe(hours.Count, month);
            if (hours.Count > 0)
            {
                m.GetProperty("medianHours").GetDouble().ShouldBe(Percentile(hours, 0.5), 1e-4, month);
                m.GetProperty("percentile90Hours").GetDouble().ShouldBe(Percentile(hours, 0.9), 1e-4, month);
            }
        }

        // Grants: the funder's list (grants on the organisation's funds) and the supervisor's (of its cases).
        foreach (var reader in new[] { story.Funder, story.Supervisor })
        {
            var grants = (await reader.GetFromJsonAsync<JsonElement>("/api/grants?pageSize=200"))
                .GetProperty("items").EnumerateArray().ToArray();
            grants.Length.ShouldBe(story.Grants);
            var answer = await FreshAsync(reader, "/api/dashboards/grants", a =>
                a.GetProperty("money").EnumerateArray().Sum(m => m.GetProperty("grants").GetInt32()) == story.Grants);
            ShouldCountDecisions(answer, grants);
            ShouldCountMoney(answer, grants);
        }

        // Relocations in progress by state, and missed check-ins, from each case's relocations.
        var relocations = new List<JsonElement>();
        foreach (var c in items)
        {
            var ofCase = await story.Supervisor.GetFromJsonAsync<JsonElement>(
                $"/api/cases/{c.GetProperty("id").GetGuid()}/relocations");
            relocations.AddRange(ofCase.GetProperty("items").EnumerateArray());
        }

        relocations.Count.ShouldBe(story.Relocations);
        var inProgress = relocations.Where(r => Word(r, "state") != "closed").ToArray();
        var relocationAnswer = await FreshAsync(story.Supervisor, "/api/dashboards/relocations", a =>
            a.GetProperty("inProgress").EnumerateArray().Sum(s => s.GetProperty("relocations").GetInt32())
            == inProgress.Length);
        foreach (var s in relocationAnswer.GetProperty("inProgress").EnumerateArray())
        {
            var state = Word(s, "state");
            var ofState = inProgress.Where(r => Word(r, "state") == state).ToArray();
            s.GetProperty("relocations").GetInt32().ShouldBe(ofState.Length, state);
            s.GetProperty("missedNow").GetInt32()
                .ShouldBe(ofState.Count(r => r.GetProperty("checkInMissed").GetBoolean()), state);
        }

        // Nobody else's figures: a supervisor of another organisation counts none of these.
        using var stranger = await system.SignedInFor($"org-{Guid.NewGuid():N}", "supervisor-x", ["supervisor"]);
        var none = await stranger.GetFromJsonAsync<JsonElement>("/api/dashboards/cases");
        none.GetProperty("total").GetInt32().ShouldBe(0);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/dashboards/grants")).GetProperty("money")
            .GetArrayLength().ShouldBe(0);
        using var officer = await system.SignedInFor(story.Organisation, "officer-x", ["officer"]);
        (await officer.GetAsync("/api/dashboards/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await story.Funder.GetAsync("/api/dashboards/triage")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_supervisor_and_a_funder_read_their_dashboard_whose_tables_carry_the_apis_figures()
    {
        var story = await StoryAsync();
        var cases = await FreshAsync(story.Supervisor, "/api/dashboards/cases", a =>
            a.GetProperty("total").GetInt32() == story.Cases.Count);
        await FreshAsync(story.Supervisor, "/api/dashboards/grants", a =>
            a.GetProperty("money").EnumerateArray().Sum(m => m.GetProperty("grants").GetInt32()) == story.Grants);
        var relocations = await FreshAsync(story.Supervisor, "/api/dashboards/relocations", _ => true);

        var page = await browser.SignedInAsync(system, story.SupervisorPerson, landing: "dashboard");
        await page.Locator("h1").Filter(new() { HasText = "Dashboard" }).WaitForAsync();
        await page.Locator("header nav a[href='dashboard']").WaitForAsync();
        foreach (var cell in cases.GetProperty("byStageAndRisk").EnumerateArray())
        {
            var risk = Word(cell, "risk") ?? "notAssessed";
            var td = page.Locator(
                $"#dashboard-cases tr[data-stage='{Word(cell, "stage")}'] td[data-risk='{risk}']");
            (await td.GetAttributeAsync("data-value")).ShouldBe(
                cell.GetProperty("cases").GetInt32().ToString(CultureInfo.InvariantCulture));
            (await td.InnerTextAsync()).Trim().ShouldBe(cell.GetProperty("cases").GetInt32().ToString("N0",
                CultureInfo.InvariantCulture));
        }

        (await page.InnerTextAsync("#dashboard-overdue-triage")).Trim()
            .ShouldBe(cases.GetProperty("overdueTriage").GetInt32().ToString(CultureInfo.InvariantCulture));
        foreach (var s in relocations.GetProperty("inProgress").EnumerateArray())
        {
            var row = page.Locator($"#dashboard-relocations tr[data-state='{Word(s, "state")}'] td");
            (await row.Nth(0).GetAttributeAsync("data-value"))
                .ShouldBe(s.GetProperty("relocations").GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        (await page.Locator("svg.dashboard-chart[role=img] title").CountAsync()).ShouldBeGreaterThanOrEqualTo(5);
        await ConsoleBrowser.ShouldBeAccessibleAsync(page, "dashboard (supervisor)");
        await ConsoleBrowser.ScreenshotAsync(page, "dashboard-supervisor-en");
        (await browser.FirstLoadBytesAsync(page, new Uri(system.Issuer, "dashboard"), "dashboard-supervisor"))
            .ShouldBeLessThanOrEqualTo(150 * 1024);

        // The funder: the grants on the organisation's funds only, the money table the API's.
        var funderAnswer = await FreshAsync(story.Funder, "/api/dashboards/grants", _ => true);
        var funderPage = await browser.SignedInAsync(system, story.FunderPerson, landing: "dashboard");
        await funderPage.Locator("#dashboard-decisions").WaitForAsync();
        (await funderPage.Locator("#dashboard-cases").CountAsync()).ShouldBe(0);
        foreach (var m in funderAnswer.GetProperty("money").EnumerateArray())
        {
            var cells = funderPage.Locator($"table.dashboard-money tr[data-category='{Word(m, "category")}']"
                + $"[data-currency='{m.GetProperty("currency").GetString()}'] td");
            (await cells.Nth(0).GetAttributeAsync("data-value")).ShouldBe(
                m.GetProperty("grants").GetInt32().ToString(CultureInfo.InvariantCulture));
            foreach (var (i, name) in new[] { (1, "requested"), (2, "approved"), (3, "paid") })
            {
                decimal.Parse((await cells.Nth(i).GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture)
                    .ShouldBe(m.GetProperty(name).GetDecimal(), name);
            }
        }

        foreach (var m in funderAnswer.GetProperty("decisions").EnumerateArray())
        {
            var cells = funderPage.Locator(
                $"#dashboard-decisions tr[data-month='{m.GetProperty("month").GetString()}'] td");
            (await cells.Nth(0).GetAttributeAsync("data-value"))
                .ShouldBe(m.GetProperty("inTime").GetInt32().ToString(CultureInfo.InvariantCulture));
            (await cells.Nth(1).GetAttributeAsync("data-value"))
                .ShouldBe(m.GetProperty("late").GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        await ConsoleBrowser.ShouldBeAccessibleAsync(funderPage, "dashboard (funder)");
        await ConsoleBrowser.ScreenshotAsync(funderPage, "dashboard-funder-en");
        (await browser.FirstLoadBytesAsync(funderPage, new Uri(system.Issuer, "dashboard"), "dashboard-funder"))
            .ShouldBeLessThanOrEqualTo(150 * 1024);

        // Arabic: right to left, the same figures.
        var arabic = await browser.SignedInAsync(system, story.SupervisorPerson, "ar", landing: "dashboard");
        await arabic.Locator("#dashboard-cases").WaitForAsync();
        (await arabic.GetAttributeAsync("html", "dir")).ShouldBe("rtl");
        var total = arabic.Locator("#dashboard-cases tr[data-stage='triage'] td[data-risk='total']");
        (await total.GetAttributeAsync("data-value")).ShouldBe(cases.GetProperty("byStageAndRisk").EnumerateArray()
            .Where(c => Word(c, "stage") == "triage").Sum(c => c.GetProperty("cases").GetInt32())
            .ToString(CultureInfo.InvariantCulture));
        await ConsoleBrowser.ShouldBeAccessibleAsync(arabic, "dashboard (supervisor, Arabic)");
        await ConsoleBrowser.ScreenshotAsync(arabic, "dashboard-supervisor-ar");
    }

    private static void ShouldCountDecisions(JsonElement answer, JsonElement[] grants)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var m in answer.GetProperty("decisions").EnumerateArray())
        {
            var month = m.GetProperty("month").GetString()!;
            var ofMonth = grants.Where(g => g.GetProperty("requestedAt").GetDateTimeOffset().UtcDateTime
                .ToString("yyyy-MM", CultureInfo.InvariantCulture) == month).ToArray();
            var decided = ofMonth.Select(g => (Due: g.GetProperty("decisionDueAt").GetDateTimeOffset(),
                At: DecidedAt(g))).ToArray();
            m.GetProperty("inTime").GetInt32().ShouldBe(decided.Count(d => d.At <= d.Due), month);
            m.GetProperty("late").GetInt32().ShouldBe(decided.Count(d => d.At > d.Due), month);
            var pending = ofMonth.Where(g => Word(g, "status") == "pending").ToArray();
            m.GetProperty("pendingOverdue").GetInt32().ShouldBe(
                pending.Count(g => g.GetProperty("decisionDueAt").GetDateTimeOffset() < now), month);
            m.GetProperty("pendingInTime").GetInt32().ShouldBe(
                pending.Count(g => g.GetProperty("decisionDueAt").GetDateTimeOffset() >= now), month);
        }
    }

    private static void ShouldCountMoney(JsonElement answer, JsonElement[] grants)
    {
        var expected = grants.GroupBy(g => $"{Word(g, "category")}/{g.GetProperty("currency").GetString()}")
            .ToDictionary(g => g.Key, g => (
                Grants: g.Count(),
                Requested: g.Sum(x => x.GetProperty("requestedAmount").GetDecimal()),
                Approved: g.Sum(x => x.GetProperty("approvedAmount") is { ValueKind: JsonValueKind.Number } a
                    ? a.GetDecimal()
                    : 0m),
                Paid: g.Sum(x => x.GetProperty("disbursed").GetDecimal())));
        var money = answer.GetProperty("money").EnumerateArray().ToDictionary(
            m => $"{Word(m, "category")}/{m.GetProperty("currency").GetString()}",
            m => (Grants: m.GetProperty("grants").GetInt32(), Requested: m.GetProperty("requested").GetDecimal(),
                Approved: m.GetProperty("approved").GetDecimal(), Paid: m.GetProperty("paid").GetDecimal()));
        money.ShouldBe(expected, ignoreOrder: true);
        expected.Values.Sum(v => v.Paid).ShouldBeGreaterThan(0m);
    }

    /// <summary>When the grant was decided: its last approval (the one that approved it), or its rejection.</summary>
    private static DateTimeOffset? DecidedAt(JsonElement grant) => Word(grant, "status") switch
    {
        "pending" or "withdrawn" => null,
        "rejected" => grant.GetProperty("rejection").GetProperty("at").GetDateTimeOffset(),
        _ => grant.GetProperty("approvals").EnumerateArray().Max(a => a.GetProperty("at").GetDateTimeOffset()),
    };

    /// <summary>PostgreSQL's <c>percentile_cont</c>: linear interpolation between the closest ranks.</summary>
    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var rank = fraction * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    private static string StageOf(JsonElement c) =>
        Word(c, "status") == "closed" ? "closed" : Word(c, "stage")!;

    /// <summary>An enum value as the API's camelCase word (null when absent).</summary>
    private static string? Word(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } word
            ? char.ToLowerInvariant(word[0]) + word[1..]
            : null;

    /// <summary>The dashboard's answer once its projection caught up with every event and it shows the data.</summary>
    private static async Task<JsonElement> FreshAsync(HttpClient reader, string path, Func<JsonElement, bool> shows)
    {
        var answer = await Eventually.Get(async () =>
        {
            var response = await reader.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("freshness").GetProperty("current").GetBoolean() && shows(body)
                ? new Box(body)
                : null;
        }, CatchUp, $"{path} to catch up");
        return answer.Value;
    }

    private async Task<Story> StoryAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!Told.TryGetValue(system, out var story))
            {
                Told[system] = story = await Story.TellAsync(system);
            }

            return story;
        }
        finally
        {
            Gate.Release();
        }
    }

    private sealed record Box(JsonElement Value);

    /// <summary>
    /// A fresh organisation's work: five cases (one left at triage unassessed, one assessed, one with grants, one
    /// relocated, one closed), two grants from a fresh funding organisation's fund (one approved and partly
    /// paid, one rejected), a relocation requested. Decisions are all in time and no check-in is missed: making
    /// one late needs assistance's clock, which tests do not move, and a missed check-in moves relocation's
    /// clock for every test of the run (the service tests count both from stored events instead).
    /// </summary>
    private sealed record Story(
        string Organisation,
        HttpClient Supervisor,
        HttpClient Funder,
        Person SupervisorPerson,
        Person FunderPerson,
        IReadOnlyList<Guid> Cases,
        int Assessed,
        int Grants,
        int Relocations)
    {
        public static async Task<Story> TellAsync(ProtectionSystem system)
        {
            var admin = await Administration.AdministratorAsync(system);
            var organisation = await Administration.CreateOrganisationAsync(admin, "protection");
            var funding = await Administration.CreateOrganisationAsync(admin, "funding");
            var supervisorPerson = await Administration.EnrolledAsync(system, admin, organisation, "supervisor");
            var funderPerson = await Administration.EnrolledAsync(system, admin, funding, "funder");
            var officer = await system.SignedInFor(organisation, $"officer-{Guid.NewGuid():N}", ["officer"]);
            var supervisor = await system.SignedInFor(organisation, supervisorPerson.Id, ["supervisor"]);
            var funder = await system.SignedInFor(funding, funderPerson.Id, ["funder"]);

            var ids = new List<Guid>();
            for (var i = 0; i < 5; i++)
            {
                var defender = EndToEndTests.Cases.Defender.Unique();
                var threat = i == 0
                    ? EndToEndTests.Cases.Threat(defender, "digital", daysAgo: 40)
                    : EndToEndTests.Cases.Threat(defender, "physical", daysAgo: 2);
                var (id, _) = await officer.OpenAsync(defender, threat);
                ids.Add(id);
            }

            foreach (var id in ids)
            {
                await officer.WaitForTriageAsync(id);
            }

            // Assessed: cases 1 to 4 (case 0 waits at triage with its preliminary risk).
            foreach (var (id, physical) in ids.Skip(1).Zip([1, 2, 3, 1]))
            {
                await officer.PostAsJsonAsync($"/api/cases/{id}/assessment",
                    new JsonObject { ["scores"] = Triage.Scores(1, physical, 0, 1, 1) }).OkJson();
            }

            // Case 2: two grants from the funding organisation's fund, one approved and partly paid, one rejected.
            await officer.WaitForAsync($"/api/cases/{ids[2]}/grants", _ => true, "assistance to know the case");
            var fundId = await funder.CreateFundAsync(20_000m);
            var approved = await GrantAsync(officer, ids[2], Funds.GrantBody(fundId, 1_200m, "legal"));
            var rejected = await GrantAsync(officer, ids[2], Funds.GrantBody(fundId, 800m, "digitalSecurity"));
            await funder.PostAsJsonAsync($"/api/grants/{approved}/decisions", new { decision = "approve" }).OkJson();
            await funder.PostAsJsonAsync($"/api/grants/{rejected}/decisions",
                new { decision = "reject", reason = "Covered by another fund this month." }).OkJson();
            await funder.PostAsJsonAsync($"/api/grants/{approved}/disbursements", new { amount = 500m }).OkJson();

            // Case 3: a relocation requested.
            await officer.WaitForAsync($"/api/cases/{ids[3]}/relocations", _ => true, "relocation to know the case");
            var relocation = await officer.PostAsJsonAsync(
                $"/api/cases/{ids[3]}/relocations", RelocationTests.RelocationBody("inCountrySafeHouse"));
            relocation.StatusCode.ShouldBe(HttpStatusCode.Created, await relocation.Content.ReadAsStringAsync());

            // Case 4: closed.
            await officer.PostAsJsonAsync($"/api/cases/{ids[4]}/close", new { outcome = "riskReduced" }).OkJson();

            // Intake learns all of it by messages: wait until its list says so.
            await supervisor.WaitForAsync("/api/cases?pageSize=200", list =>
            {
                var stages = list.GetProperty("items").EnumerateArray()
                    .Select(c => c.GetProperty("status").GetString() == "closed" ? "closed" : c.GetProperty("stage")
                        .GetString())
                    .ToHashSet();
                return stages.SetEquals(["triage", "emergencyAssistance", "relocation", "closed"]);
            }, "intake to learn every stage");
            return new Story(organisation, supervisor, funder, supervisorPerson, funderPerson, ids, 4, 2, 1);
        }

        private static async Task<Guid> GrantAsync(HttpClient officer, Guid caseId, JsonObject body)
        {
            var requested = await officer.PostAsJsonAsync($"/api/cases/{caseId}/grants", body);
            requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
            return (await requested.Json()).GetProperty("id").GetGuid();
        }
    }
}
