using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>
/// Every free-text field of the API, filled with a value unique to the run: who reads each one
/// (README, "Who reads staff text", cell by cell), and after erasure none of them is left in any
/// table of any service's database nor in any answer.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class FreeTextTests(ProtectionSystem system)
{
    private static readonly string[] ServiceDatabases = ["intake", "triage", "assistance", "relocation"];

    [Fact]
    public async Task Each_sealed_text_is_read_by_the_roles_of_the_visibility_table_and_no_other()
    {
        var world = await CaseWithEveryText.CreateAsync(system);
        var readers = await world.ReadersAsync(system);
        var t = world.Texts;

        // The table, as the README states it: what each reader sees on each route (null: refused, 403; 404 to a
        // reader of another organisation, for whom the grant does not exist). Every funder of the fund's
        // organisation reads a grant's texts, whether or not they took part in it.
        var grantTexts = t.Rejection.Concat(t.Report).ToArray();
        var rows = new (string Reader, string Path, string[]? Visible)[]
        {
            ("officer", world.CasePath, t.Intake), ("supervisor", world.CasePath, t.Intake),
            ("auditor", world.CasePath, []), ("other-officer", world.CasePath, null),
            ("funder", world.CasePath, null), ("admin", world.CasePath, null),

            ("officer", $"{world.CasePath}/triage", t.Triage), ("supervisor", $"{world.CasePath}/triage", t.Triage),
            ("auditor", $"{world.CasePath}/triage", []), ("other-officer", $"{world.CasePath}/triage", null),
            ("funder", $"{world.CasePath}/triage", null), ("admin", $"{world.CasePath}/triage", null),

            ("officer", $"{world.CasePath}/grants", [.. t.Purposes, .. grantTexts]),
            ("supervisor", $"{world.CasePath}/grants", [.. t.Purposes, .. grantTexts]),
            ("auditor", $"{world.CasePath}/grants", null), ("other-officer", $"{world.CasePath}/grants", null),
            ("funder", $"{world.CasePath}/grants", null),

            ("officer", world.RejectedGrantPath, [t.Purposes[0], .. t.Rejection]),
            ("supervisor", world.RejectedGrantPath, [t.Purposes[0], .. t.Rejection]),
            ("funder", world.RejectedGrantPath, [t.Purposes[0], .. t.Rejection]),
            ("other-funder", world.RejectedGrantPath, [t.Purposes[0], .. t.Rejection]),
            ("foreign-funder", world.RejectedGrantPath, null),
            ("auditor", world.RejectedGrantPath, null), ("other-officer", world.RejectedGrantPath, null),
            ("admin", world.RejectedGrantPath, null),

            ("officer", world.PaidGrantPath, [t.Purposes[1], .. t.Report]),
            ("funder", world.PaidGrantPath, [t.Purposes[1], .. t.Report]),
            ("other-funder", world.PaidGrantPath, [t.Purposes[1], .. t.Report]),
            ("foreign-funder", world.PaidGrantPath, null),
            ("auditor", world.PaidGrantPath, null),

            ("funder", "/api/grants?pageSize=200", [.. t.Purposes, .. grantTexts]),
            ("other-funder", "/api/grants?pageSize=200", [.. t.Purposes, .. grantTexts]),
            ("foreign-funder", "/api/grants?pageSize=200", []),

            ("officer", world.RelocationPath, t.Relocation), ("supervisor", world.RelocationPath, t.Relocation),
            ("auditor", world.RelocationPath, null), ("other-officer", world.RelocationPath, null),
            ("funder", world.RelocationPath, null), ("admin", world.RelocationPath, null),
            ("officer", $"{world.CasePath}/relocations", t.Relocation),

            ("supervisor", $"{world.CasePath}/history", []), ("auditor", $"{world.CasePath}/history", []),
            ("auditor", $"{world.CasePath}/export?format=jsonl", []),
            ("auditor", $"{world.CasePath}/export?format=csv", []),
            ("officer", $"{world.CasePath}/history", null), ("funder", $"{world.CasePath}/history", null),
        };

        var failures = new List<string>();
        foreach (var (reader, path, visible) in rows)
        {
            var response = await readers[reader].GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if (visible is null)
            {
                var refused = reader.StartsWith("foreign-", StringComparison.Ordinal)
                    ? HttpStatusCode.NotFound
                    : HttpStatusCode.Forbidden;
                if (response.StatusCode != refused)
                {
                    failures.Add($"{reader} {path}: {(int)response.StatusCode}, expected {(int)refused}");
                }

                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{reader} {path}: {(int)response.StatusCode}, expected 200");
                continue;
            }

            var seen = t.All.Where(text => Contains(body, text)).ToArray();
            var missing = visible.Except(seen).ToArray();
            var extra = seen.Except(visible).ToArray();
            if (missing.Length > 0 || extra.Length > 0)
            {
                failures.Add(
                    $"{reader} {path}: missing [{string.Join(", ", missing)}], " +
                    $"should not see [{string.Join(", ", extra)}]");
            }
        }

        failures.ShouldBeEmpty(string.Join('\n', failures));
    }

    [Fact]
    public async Task After_erasure_no_free_text_sent_is_in_any_table_of_any_service_nor_in_any_answer()
    {
        var world = await CaseWithEveryText.CreateAsync(system);
        var readers = await world.ReadersAsync(system);
        var t = world.Texts;

        await readers["admin"].PostAsJsonAsync($"{world.CasePath}/erasure", new { basis = "defenderRequest" }).OkJson();

        // Each service destroys its key on CaseErased; wait until every officer's view shows none of the texts.
        string[] officerViews =
            [world.CasePath, $"{world.CasePath}/triage", $"{world.CasePath}/grants", world.RelocationPath];
        foreach (var path in officerViews)
        {
            await readers["officer"].WaitForAsync(path, view => !t.All.Any(text => Contains(view.GetRawText(), text)),
                $"{path} to show no free text after erasure");
        }

        var leftInTables = new List<string>();
        foreach (var service in ServiceDatabases)
        {
            foreach (var (table, rows) in await TablesAsync(system.DatabaseOf(service)))
            {
                leftInTables.AddRange(t.All.Where(text => rows.Contains(text, StringComparison.Ordinal))
                    .Select(text => $"{service}.{table}: {t.NameOf(text)}"));
            }
        }

        leftInTables.ShouldBeEmpty(string.Join('\n', leftInTables));

        string[] paths =
        [
            world.CasePath, $"{world.CasePath}/triage", $"{world.CasePath}/grants", $"{world.CasePath}/relocations",
            world.RejectedGrantPath, world.PaidGrantPath, world.WithdrawnGrantPath, world.RelocationPath,
            "/api/cases?pageSize=200", "/api/grants?pageSize=200", "/api/triage/queue?pageSize=200",
            $"{world.CasePath}/history", $"{world.CasePath}/access-log", $"{world.CasePath}/verify",
            $"{world.CasePath}/export?format=jsonl", $"{world.CasePath}/export?format=csv",
        ];
        var leftInAnswers = new List<string>();
        foreach (var (name, reader) in readers)
        {
            foreach (var path in paths)
            {
                var body = await reader.GetStringOrProblemAsync(path);
                leftInAnswers.AddRange(t.All.Where(text => Contains(body, text))
                    .Select(text => $"{name} {path}: {t.NameOf(text)}"));
            }
        }

        leftInAnswers.ShouldBeEmpty(string.Join('\n', leftInAnswers));
    }

    // JSON answers escape some characters (e.g. '+'); the texts are letters, digits, spaces and
    // "@." only, which no encoder escapes, so a plain search is exact.
    private static bool Contains(string body, string text) => body.Contains(text, StringComparison.Ordinal);

    /// <summary>Every row of every table of the database, as text, by table.</summary>
    private static async Task<List<(string Table, string Rows)>> TablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<(string Schema, string Name)>();
        await using (var list = new NpgsqlCommand(
            """
            select table_schema, table_name from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        tables.Count.ShouldBeGreaterThan(3, "the service's tables");
        var result = new List<(string, string)>();
        foreach (var (schema, name) in tables)
        {
            var rows = new StringBuilder();
            await using var select = new NpgsqlCommand($"select t::text from \"{schema}\".\"{name}\" t", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.AppendLine(reader.GetString(0));
            }

            result.Add(($"{schema}.{name}", rows.ToString()));
        }

        return result;
    }

    /// <summary>A value for each free-text field, unique to the run; letters, digits and spaces only.</summary>
    internal sealed class Texts
    {
        private readonly string _tag = "zq" + Guid.NewGuid().ToString("N")[..10];
        private readonly Dictionary<string, string> _byText = new(StringComparer.Ordinal);

        public string Next(string field)
        {
            var text = $"{field} {_tag}{_byText.Count:D2}";
            _byText[text] = field;
            return text;
        }

        public string NextEmail() => Record("email", $"{_tag}m{_byText.Count:D2}@example.org");

        public string Record(string field, string text)
        {
            _byText[text] = field;
            return text;
        }

        public string NameOf(string text) => _byText[text];

        public IReadOnlyCollection<string> All => _byText.Keys;

        public string[] Intake { get; set; } = [];

        public string[] Triage { get; set; } = [];

        public string[] Purposes { get; set; } = [];

        public string[] Rejection { get; set; } = [];

        public string[] Report { get; set; } = [];

        public string[] Relocation { get; set; } = [];
    }

    /// <summary>
    /// One case carrying a value in every free-text field of the four services: the defender and two
    /// threats; assessment notes, an override, a cancelled measure, a closing and a re-opening; a
    /// rejected, a paid-and-reported and a withdrawn grant; a relocation planned, checked in, extended
    /// and closed.
    /// </summary>
    internal sealed record CaseWithEveryText(
        Texts Texts, string Officer, string Supervisor, string Funder, Guid CaseId,
        Guid RejectedGrant, Guid PaidGrant, Guid WithdrawnGrant, Guid Relocation)
    {
        public string CasePath => $"/api/cases/{CaseId}";

        public string RejectedGrantPath => $"/api/grants/{RejectedGrant}";

        public string PaidGrantPath => $"/api/grants/{PaidGrant}";

        public string WithdrawnGrantPath => $"/api/grants/{WithdrawnGrant}";

        public string RelocationPath => $"/api/relocations/{Relocation}";

        public async Task<Dictionary<string, HttpClient>> ReadersAsync(ProtectionSystem system) => new()
        {
            ["officer"] = await system.SignedInAs(Officer, "officer"),
            ["supervisor"] = await system.SignedInAs(Supervisor, "supervisor"),
            ["funder"] = await system.SignedInAs(Funder, "funder"),
            ["other-funder"] = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder"),
            ["foreign-funder"] = await system.SignedInFor(
                "another-organisation", $"funder-{Guid.NewGuid():N}", ["funder"]),
            ["other-officer"] = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer"),
            ["auditor"] = await system.SignedInAs($"auditor-{Guid.NewGuid():N}", "auditor"),
            ["admin"] = await system.SignedInAs($"admin-{Guid.NewGuid():N}", "admin"),
        };

        /// <summary>The fund the grants are drawn on.</summary>
        public Guid Fund { get; init; }

        /// <summary>The protection plan's (cancelled) measure.</summary>
        public Guid Measure { get; init; }

        /// <summary>
        /// Creates the case in <paramref name="organisation"/> (the development organisation when null): its
        /// officer, supervisor and funder all act for it.
        /// </summary>
        public static async Task<CaseWithEveryText> CreateAsync(ProtectionSystem system, string? organisation = null)
        {
            var t = new Texts();
            var officerId = $"officer-{Guid.NewGuid():N}";
            var supervisorId = $"supervisor-{Guid.NewGuid():N}";
            var funderId = $"funder-{Guid.NewGuid():N}";
            var officer = await system.SignedInFor(organisation, officerId, ["officer"]);
            var supervisor = await system.SignedInFor(organisation, supervisorId, ["supervisor"]);
            var funder = await system.SignedInFor(organisation, funderId, ["funder"]);
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-5)); // Colombia's date
            string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd");
            JsonObject Threat(int daysAgo) => new()
            {
                ["type"] = "physical", ["perpetrator"] = "nonStateArmedGroup", ["occurredOn"] = Day(-daysAgo),
                ["country"] = "CO",
                ["region"] = t.Next("threat region"), ["description"] = t.Next("threat description"),
                ["exactLocation"] = t.Next("threat exact location"),
            };

            // Intake.
            var phone = t.Record("phone", $"300 {Random.Shared.Next(1000000, 9999999)}");
            var opening = new JsonObject
            {
                ["defender"] = new JsonObject
                {
                    ["fullName"] = t.Next("full name"), ["preferredName"] = t.Next("preferred name"),
                    ["organisation"] = t.Next("organisation"),
                    ["contacts"] = new JsonObject
                    {
                        ["phone"] = $"+57 {phone}", ["email"] = t.NextEmail(),
                        ["secureMessenger"] = t.Next("messenger"),
                    },
                    ["location"] = new JsonObject
                    {
                        ["country"] = "CO", ["region"] = t.Next("region"), ["exactLocation"] = t.Next("exact location"),
                    },
                    ["familyMembers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = t.Next("family name"), ["relationship"] = t.Next("relationship"),
                    }),
                },
                ["consent"] = new JsonObject
                {
                    ["dataProcessing"] = true, ["shareWithFunders"] = true, ["shareWithRelocationHost"] = false,
                },
                ["threats"] = new JsonArray(Threat(3)),
            };
            var opened = await officer.PostAsJsonAsync("/api/cases", opening);
            opened.StatusCode.ShouldBe(HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
            var caseId = (await opened.Json()).GetProperty("id").GetGuid();
            var casePath = $"/api/cases/{caseId}";
            (await officer.PostAsJsonAsync($"{casePath}/threats", Threat(1))).StatusCode
                .ShouldBe(HttpStatusCode.Created);
            t.Intake = [.. t.All];

            // Triage.
            await officer.WaitForTriageAsync(caseId);
            var notes = new JsonObject();
            foreach (var dimension in new[] { "emotionalCognitive", "physical", "spiritual", "economic", "political" })
            {
                notes[dimension] = t.Next($"note {dimension}");
            }

            await officer.PostAsJsonAsync($"{casePath}/assessment",
                new JsonObject { ["scores"] = Triage.Scores(2, 2, 1, 1, 2), ["notes"] = notes }).OkJson();
            var overrideReason = t.Next("override reason");
            await supervisor.PostAsJsonAsync(
                $"{casePath}/assessment/override", new { level = "critical", reason = overrideReason }).OkJson();
            var measure = await officer.PostAsJsonAsync($"{casePath}/plan/measures",
                new { area = "threatsOnTheGround", type = "safe-house", owner = officerId, dueOn = Day(10) });
            measure.StatusCode.ShouldBe(HttpStatusCode.Created, await measure.Content.ReadAsStringAsync());
            var measureId = (await measure.Json()).GetProperty("measureId").GetGuid();
            var cancelReason = t.Next("cancel reason");
            await officer.PostAsJsonAsync(
                $"{casePath}/plan/measures/{measureId}/cancel", new { reason = cancelReason }).OkJson();
            var closeNote = t.Next("close note"); // kept sealed, shown to no one
            await officer.PostAsJsonAsync(
                $"{casePath}/close", new { outcome = "riskReduced", note = closeNote }).OkJson();
            var reopenReason = t.Next("reopen reason"); // sealed; shown only when the re-opening changes the level
            await officer.PostAsJsonAsync($"{casePath}/reopen", new { reason = reopenReason }).OkJson();
            t.Triage = [.. notes.Select(n => n.Value!.GetValue<string>()), overrideReason, cancelReason];

            // Emergency assistance: rejected, paid and reported, withdrawn.
            await officer.WaitForAsync($"{casePath}/grants", _ => true, "assistance to know the case");
            var fundId = await funder.CreateFundAsync(20_000m);
            async Task<Guid> RequestGrant(decimal amount, string category)
            {
                var body = Funds.GrantBody(fundId, amount, category);
                body["purpose"] = t.Next("grant purpose");
                t.Purposes = [.. t.Purposes, body["purpose"]!.GetValue<string>()];
                // Assistance hears of the re-opening on its own queue: until then it refuses (409, the case
                // is closed, nothing written), so the request is sent again until the grant is created.
                var response = await Eventually.Get(
                    async () =>
                    {
                        var sent = await officer.PostAsJsonAsync($"{casePath}/grants", body);
                        return sent.StatusCode == HttpStatusCode.Conflict ? null : sent;
                    },
                    TimeSpan.FromSeconds(15),
                    "assistance to hear that the case was re-opened");
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                return (await response.Json()).GetProperty("id").GetGuid();
            }

            var rejected = await RequestGrant(1_000m, "legal");
            t.Rejection = [t.Next("rejection reason")];
            await funder.PostAsJsonAsync(
                $"/api/grants/{rejected}/decisions", new { decision = "reject", reason = t.Rejection[0] }).OkJson();
            var paid = await RequestGrant(3_000m, "urgentRelocation");
            await funder.PostAsJsonAsync($"/api/grants/{paid}/decisions", new { decision = "approve" }).OkJson();

            // Relocation, funded by the paid grant.
            await officer.WaitForAsync($"{casePath}/relocations", _ => true, "relocation to know the case");
            var requested = await officer.PostAsJsonAsync(
                $"{casePath}/relocations", RelocationTests.RelocationBody("inCountrySafeHouse"));
            requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
            var relocationId = (await requested.Json()).GetProperty("id").GetGuid();
            var relocationPath = $"/api/relocations/{relocationId}";
            var plan = RelocationTests.PlanBody("CO");
            plan["startOn"] = Day(0);
            plan["destination"]!["city"] = t.Next("city");
            foreach (var field in new[] { "hostOrganisation", "securityPlan", "visaPlan", "returnStrategy" })
            {
                plan[field] = t.Next(field);
            }

            await officer.PostAsJsonAsync($"{relocationPath}/plan", plan).OkJson();
            await funder.PostAsJsonAsync($"/api/grants/{paid}/disbursements", new { amount = 3_000m }).OkJson();
            await officer.WaitForAsync(
                relocationPath,
                r => r.GetProperty("state").GetString() == "funded",
                "the grant to fund the relocation");
            await officer.PostAsync($"{relocationPath}/depart", null).OkJson();
            await officer.PostAsync($"{relocationPath}/arrive", null).OkJson();
            await officer.PostAsJsonAsync(
                $"{relocationPath}/check-ins", new { status = "safe", note = t.Next("check-in note") }).OkJson();
            await officer.PostAsJsonAsync(
                $"{relocationPath}/extend", new { endOn = Day(120), reason = t.Next("extension reason") }).OkJson();
            await officer.PostAsync($"{relocationPath}/return", null).OkJson();
            await officer.PostAsJsonAsync(
                $"{relocationPath}/close", new { reason = t.Next("closing reason") }).OkJson();
            string[] relocationFields =
            [
                "city", "hostOrganisation", "securityPlan", "visaPlan", "returnStrategy", "check-in note",
                "extension reason", "closing reason",
            ];
            t.Relocation = [.. t.All.Where(text => relocationFields.Contains(t.NameOf(text)))];

            t.Report = [t.Next("report summary")];
            await officer.PostAsJsonAsync(
                $"/api/grants/{paid}/reports", new { spent = 2_950m, summary = t.Report[0] }).OkJson();
            var withdrawn = await RequestGrant(500m, "legal");
            await officer.PostAsJsonAsync(
                $"/api/grants/{withdrawn}/withdrawal", new { reason = t.Next("withdrawal reason") }).OkJson();

            return new CaseWithEveryText(
                t, officerId, supervisorId, funderId, caseId, rejected, paid, withdrawn, relocationId)
            {
                Fund = fundId,
                Measure = measureId,
            };
        }
    }
}

internal static class Answers
{
    /// <summary>The answer's body whatever its status (a refusal's problem details are searched too).</summary>
    public static async Task<string> GetStringOrProblemAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return await response.Content.ReadAsStringAsync();
    }
}
