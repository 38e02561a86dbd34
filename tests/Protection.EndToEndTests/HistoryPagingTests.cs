using System.Net;
using System.Text.Json;

namespace Protection.EndToEndTests;

/// <summary>
/// The auditor reads a case's history a page at a time through the gateway: every entry of the four services
/// once, in the timeline's order; bad pages refused naming the field; another organisation's case still unknown.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HistoryPagingTests(ProtectionSystem system)
{
    [Fact]
    public async Task An_auditor_pages_through_a_case_history_and_reads_every_entry_once_in_order()
    {
        var story = await FourStages.SharedAsync(system);
        var path = $"/api/cases/{story.CaseId}/history";

        // The whole history in one page, before and after the walk: when a late event landed between them, the
        // walk is compared again, with the history as it then is.
        for (var attempt = 1; ; attempt++)
        {
            var whole = await story.Auditor.GetAsync($"{path}?limit=1000").OkJson();
            whole.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
            var expected = Keys(whole);
            expected.Select(k => k.Split('/')[0]).Distinct().Order()
                .ShouldBe(["assistance", "intake", "relocation", "triage"]);
            expected.Length.ShouldBeGreaterThan(9, "enough entries for several pages of three");

            var walked = new List<string>();
            string? next = null;
            var pages = 0;
            do
            {
                var page = await story.Auditor
                    .GetAsync(next is null ? $"{path}?limit=3" : $"{path}?limit=3&after={next}").OkJson();
                pages++;
                var keys = Keys(page);
                keys.Length.ShouldBeInRange(1, 3);
                walked.AddRange(keys);
                page.GetProperty("complete").GetBoolean().ShouldBeTrue();
                var state = page.GetProperty("state");
                if (pages == 1)
                {
                    state.GetProperty("intake").GetProperty("stage").GetString().ShouldBe("relocation");
                    var folded = await story.Auditor.GetAsync(
                        $"{path}?limit=1&asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}")
                        .OkJson();
                    state.GetProperty("triage").GetRawText().ShouldBe(
                        folded.GetProperty("state").GetProperty("triage").GetRawText(),
                        "the case view now is the fold of every event");
                }
                else
                {
                    state.EnumerateObject().ShouldBeEmpty("the case view comes with the first page only");
                }

                next = page.GetProperty("next").GetString();
                if (next is not null)
                {
                    keys.Length.ShouldBe(3, "a page before the last is full");
                }
            }
            while (next is not null);

            var after = Keys(await story.Auditor.GetAsync($"{path}?limit=1000").OkJson());
            if (!after.SequenceEqual(expected) && attempt < 3)
            {
                continue;
            }

            walked.ShouldBe(expected, ignoreOrder: false); // the pages, one after the other, are the whole history
            walked.Distinct().Count().ShouldBe(walked.Count);
            pages.ShouldBe((expected.Length + 2) / 3);
            break;
        }
    }

    [Fact]
    public async Task A_page_the_history_cannot_give_is_refused_naming_the_field()
    {
        var story = await FourStages.SharedAsync(system);
        var path = $"/api/cases/{story.CaseId}/history";

        foreach (var limit in new[] { "0", "1001", "-5", "ten", "2.5" })
        {
            await story.Auditor.GetAsync($"{path}?limit={limit}").ShouldBeProblem(HttpStatusCode.BadRequest, "limit");
        }

        // Not base64url; base64url of something that is not a cursor; a service name that is not one.
        foreach (var after in new[] { "not*a*cursor", "bm90LWEtY3Vyc29y", "MTAwLlRSSUFHRS4x" })
        {
            await story.Auditor.GetAsync($"{path}?after={after}").ShouldBeProblem(HttpStatusCode.BadRequest, "after");
        }

        var first = await story.Auditor.GetAsync($"{path}?limit=2").OkJson();
        var next = first.GetProperty("next").GetString()!;
        await story.Auditor.GetAsync($"{path}?after={next}&limit=1000000")
            .ShouldBeProblem(HttpStatusCode.BadRequest, "limit");
        await story.Auditor.GetAsync($"{path}?after={next}&limit=2").OkJson();
    }

    [Fact]
    public async Task Another_organisations_auditor_does_not_find_the_case_on_a_later_page_either()
    {
        var (a, b) = ($"org-a-{Guid.NewGuid():N}", $"org-b-{Guid.NewGuid():N}");
        var officer = await system.SignedInFor(a, $"officer-{Guid.NewGuid():N}", ["officer"]);
        var (caseId, _) = await officer.OpenAsync(Cases.Defender.Unique());
        var body = $"audit-{Guid.NewGuid():N}";
        var ofA = await system.SignedInFor(body, $"auditor-{Guid.NewGuid():N}", ["auditor"], audits: [a]);
        var ofB = await system.SignedInFor(body, $"auditor-{Guid.NewGuid():N}", ["auditor"], audits: [b]);
        var path = $"/api/cases/{caseId}/history";

        var first = await ofA.WaitForAsync(
            $"{path}?limit=1",
            h => h.GetProperty("complete").GetBoolean() && h.GetProperty("next").ValueKind == JsonValueKind.String,
            "a history of more than one entry");
        var next = first.GetProperty("next").GetString();

        (await ofA.GetAsync($"{path}?limit=1&after={next}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ofB.GetAsync($"{path}?limit=1&after={next}").ShouldBeProblem(HttpStatusCode.NotFound);
        await ofB.GetAsync($"{path}?limit=1").ShouldBeProblem(HttpStatusCode.NotFound);
    }

    /// <summary>Each entry of a page as service/stream/version: one event, wherever it is shown.</summary>
    private static string[] Keys(JsonElement page) =>
        page.GetProperty("entries").EnumerateArray()
            .Select(e => $"{e.GetProperty("service").GetString()}/{e.GetProperty("stream").GetGuid()}/"
                + $"{e.GetProperty("version").GetInt64()}")
            .ToArray();
}
