using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Protection.Testing;

namespace Protection.EndToEndTests;

/// <summary>What intake tells the other services: the facts they need, never who or where.</summary>
[Collection(SystemCollection.Name)]
public sealed class PublishedEventsTests(ProtectionSystem system)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_published_CaseOpened_carries_the_case_and_none_of_the_personal_data_sent()
    {
        await using var queue = await RawQueue.BindAsync(system.RabbitMq, "protection.cases.case-opened.v1");
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();

        var (id, reference) = await officer.OpenAsync(defender);

        var message = await queue.WaitForMessageContainingAsync(id.ToString(), Delivery);

        var published = JsonDocument.Parse(message).RootElement.GetProperty("message");
        published.GetProperty("caseReference").GetString().ShouldBe(reference);
        published.GetProperty("country").GetString().ShouldBe("CO");
        published.GetProperty("threats")[0].GetProperty("type").ToString()
            .ShouldBe("physical", StringCompareShould.IgnoreCase);
        published.GetProperty("metadata").GetProperty("actor").GetString().ShouldStartWith("officer-");
        defender.ShouldNotAppearIn(message);

        message.ShouldNotContain("Cauca"); // the region stays in intake too
    }

    [Fact]
    public async Task Reporting_a_threat_adds_it_to_the_file_and_publishes_ThreatReported_without_its_account()
    {
        await using var queue = await RawQueue.BindAsync(system.RabbitMq, "protection.cases.threat-reported.v1");
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);

        var response = await officer.PostAsJsonAsync(
            $"/api/cases/{id}/threats", Cases.ThreatBody(defender, "detention"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var version = (await response.Json()).GetProperty("version").GetInt64();
        version.ShouldBe(2); // only intake's own decisions move the case's version, not what triage said meanwhile
        response.Headers.ETag!.Tag.ShouldBe($"\"{version}\"");

        var file = await (await officer.GetAsync($"/api/cases/{id}")).Json();
        file.GetProperty("threats").GetArrayLength().ShouldBe(2);
        file.GetProperty("threats")[1].GetProperty("type").GetString().ShouldBe("detention");

        var message = await queue.WaitForMessageContainingAsync(id.ToString(), Delivery);
        message.ShouldContain("detention");
        defender.ShouldNotAppearIn(message);
    }

    [Fact]
    public async Task Reporting_a_threat_on_a_stale_version_is_a_409_and_changes_nothing()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);
        (await officer.PostAsJsonAsync($"/api/cases/{id}/threats", Cases.ThreatBody(defender)))
            .EnsureSuccessStatusCode();

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{id}/threats")
        {
            Content = JsonContent.Create(Cases.ThreatBody(defender)),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await officer.SendAsync(stale);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Json()).GetProperty("currentVersion").GetInt64().ShouldBeGreaterThan(1);
        var file = await (await officer.GetAsync($"/api/cases/{id}")).Json();
        file.GetProperty("threats").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task The_version_an_officer_read_still_holds_after_triage_assigned_the_case()
    {
        var officerId = $"officer-{Guid.NewGuid():N}";
        var officer = await system.SignedInAs(officerId, "officer");
        var supervisor = await system.SignedInAs($"supervisor-{Guid.NewGuid():N}", "supervisor");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);
        var read = await officer.GetAsync($"/api/cases/{id}");
        var etag = read.Headers.ETag!.Tag;

        await officer.WaitForTriageAsync(id);
        await supervisor.PostAsJsonAsync($"/api/cases/{id}/assignment", new { officer = officerId }).OkJson();
        var file = await officer.WaitForAsync(
            $"/api/cases/{id}",
            f => f.GetProperty("assignedTo").GetString() == officerId,
            "intake to learn the assignment");

        file.GetProperty("version").GetInt64().ShouldBe(1);
        using var report = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{id}/threats")
        {
            Content = JsonContent.Create(Cases.ThreatBody(defender)),
        };
        report.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await officer.SendAsync(report);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_service_log_never_contains_the_personal_data_sent()
    {
        var officer = await system.SignedInAs($"officer-{Guid.NewGuid():N}", "officer");
        var defender = Cases.Defender.Unique();
        var (id, _) = await officer.OpenAsync(defender);
        (await officer.GetAsync($"/api/cases/{id}")).EnsureSuccessStatusCode();
        // A malformed request too: error paths are where data leaks into logs.
        await officer.PostAsync("/api/cases", new StringContent(
            $"{{\"defender\":{{\"fullName\":\"{defender.FullName}\",", System.Text.Encoding.UTF8, "application/json"));

        var log = system.Intake.Output;
        log.ShouldNotBeEmpty();
        defender.ShouldNotAppearIn(log);
        defender.ShouldNotAppearIn(system.Triage.Output);
    }
}
