using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Protection.EndToEndTests;

/// <summary>
/// A command whose answer was lost is sent again with the same <c>Idempotency-Key</c>: the client
/// gets the first answer, and the command is done once.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SafeRetryTests(ProtectionSystem system)
{
    private static HttpRequestMessage Post(string path, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key).ShouldBeTrue();
        }

        return request;
    }

    [Fact]
    public async Task An_approval_retried_with_its_key_gets_the_first_answer_and_reserves_the_money_once()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var funder = await system.SignedInAs($"funder-{Guid.NewGuid():N}", "funder");
        var (caseId, _) = await officer.OpenAsync(Cases.Defender.Unique());
        await officer.WaitForAsync($"/api/cases/{caseId}/grants", _ => true, "assistance to know the case");
        var fundId = await funder.CreateFundAsync(5_000m);
        var requested = await officer.PostAsJsonAsync(
            $"/api/cases/{caseId}/grants", Funds.GrantBody(fundId, 1_000m, "legal"));
        var grantId = (await requested.Json()).GetProperty("id").GetGuid();
        var path = $"/api/grants/{grantId}/decisions";
        var key = Guid.NewGuid().ToString();

        var first = await funder.SendAsync(Post(path, new { decision = "approve" }, key));
        var firstBody = await first.Content.ReadAsStringAsync();
        first.StatusCode.ShouldBe(HttpStatusCode.OK, firstBody);
        var retry = await funder.SendAsync(Post(path, new { decision = "approve" }, key));

        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        retry.Headers.ETag.ShouldBe(first.Headers.ETag);
        await funder.ShouldHaveFund(fundId, balance: 5_000m, reserved: 1_000m, disbursed: 0m, available: 4_000m);

        // The same key with another body is refused naming the header; without a key the command runs again.
        await funder.SendAsync(Post(path, new { decision = "reject", reason = "Covered elsewhere." }, key))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
        await funder.SendAsync(Post(path, new { decision = "approve" }, key: null))
            .ShouldBeProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_case_opened_eight_times_at_once_with_one_key_is_opened_once()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var body = Cases.OpenCaseBody(Cases.Defender.Unique());
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(_ => officer.SendAsync(Post("/api/cases", body, key))));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToArray();
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.Conflict).ToArray();

        (created.Length + busy.Length).ShouldBe(8, string.Join(", ", answers.Select(a => (int)a.StatusCode)));
        created.ShouldNotBeEmpty();
        busy.ShouldAllBe(a => a.Headers.RetryAfter != null);
        var ids = await Task.WhenAll(created.Select(async a => (await a.Json()).GetProperty("id").GetGuid()));
        ids.Distinct().ShouldHaveSingleItem();
        created.Select(a => a.Headers.Location!.ToString()).Distinct().ShouldHaveSingleItem();

        // A retry after the rush gets the same case; the officer has exactly one.
        var retry = await officer.SendAsync(Post("/api/cases", body, key));
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await retry.Json()).GetProperty("id").GetGuid().ShouldBe(ids[0]);
        var list = await (await officer.GetAsync("/api/cases")).Json();
        list.GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task A_key_belongs_to_its_caller_and_a_malformed_key_is_refused_naming_the_header()
    {
        var first = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var second = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var key = Guid.NewGuid().ToString();

        var mine = await (await first.SendAsync(Post("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()), key)))
            .Json();
        var theirs = await second.SendAsync(Post("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()), key));

        theirs.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await theirs.Json()).GetProperty("id").GetGuid().ShouldNotBe(mine.GetProperty("id").GetGuid());
        await first.SendAsync(Post("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()), "not a key!"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");
        await first.SendAsync(Post("/api/cases", Cases.OpenCaseBody(Cases.Defender.Unique()), new string('k', 129)))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "Idempotency-Key");
        var list = await (await first.GetAsync("/api/cases")).Json();
        list.GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task A_key_is_kept_for_24_hours_and_then_the_command_runs_again()
    {
        // Relocation is the service whose clock the tests move; its answers are kept by that clock.
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var (caseId, _) = await officer.OpenAsync(Cases.Defender.Unique());
        await officer.WaitForAsync($"/api/cases/{caseId}/relocations", _ => true, "relocation to know the case");
        var path = $"/api/cases/{caseId}/relocations";
        var body = RelocationTests.RelocationBody("inCountrySafeHouse");
        var key = Guid.NewGuid().ToString();

        var first = await officer.SendAsync(Post(path, body, key));
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        await system.AdvanceRelocationClockAsync(TimeSpan.FromHours(23));
        var withinTheDay = await officer.SendAsync(Post(path, body, key));
        withinTheDay.StatusCode.ShouldBe(HttpStatusCode.Created);
        withinTheDay.Headers.Contains("Idempotent-Replayed").ShouldBeTrue();

        await system.AdvanceRelocationClockAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var dayAfter = await officer.SendAsync(Post(path, body, key));

        // Run again, the command meets the relocation it made the first time: one in progress at a time.
        dayAfter.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        await Task.FromResult(dayAfter).ShouldBeProblem(HttpStatusCode.Conflict);
    }
}
