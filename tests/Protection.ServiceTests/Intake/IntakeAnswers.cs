using System.Net;
using System.Text.RegularExpressions;
using Protection.ServiceTests.Hosting;

namespace Protection.ServiceTests.Intake;

/// <summary>What each endpoint of intake answers when it may: status, ETag, Location and the body's gist.</summary>
[Collection(IntakeCollection.Name)]
public sealed partial class IntakeAnswers(IntakeHost intake)
{
    [Fact]
    public async Task Opening_a_case_answers_201_with_its_location_version_1_and_a_reference()
    {
        var officer = intake.As($"officer-{Guid.NewGuid():N}", "officer");
        using var response = await officer.SendAsync("POST", "/api/cases", IntakeBodies.Case().ToJsonString());
        var created = await response.ShouldBe(HttpStatusCode.Created);

        var id = created.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}");
        response.ETagVersion().ShouldBe(1);
        ReferencePattern().IsMatch(created.Text("reference")!).ShouldBeTrue(created.Text("reference"));
        created.Text("stage").ShouldBe("intake");
    }

    [Fact]
    public async Task The_case_file_answers_200_with_its_version_as_ETag_and_personal_data_for_its_officer()
    {
        var user = $"officer-{Guid.NewGuid():N}";
        var officer = intake.As(user, "officer");
        var id = await IntakeHost.OpenAsync(officer, IntakeBodies.Case("Amina Filereader"));

        using var response = await officer.SendAsync("GET", $"/api/cases/{id}");
        var file = await response.ShouldBe(HttpStatusCode.OK);
        response.ETagVersion().ShouldBe(file.GetProperty("version").GetInt64());
        file.Text("personalData").ShouldBe("visible");
        file.GetProperty("defender").Text("fullName").ShouldBe("Amina Filereader");
        file.GetProperty("peopleAtRisk").GetInt32().ShouldBe(2);
        file.Text("openedBy").ShouldBe(user);
    }

    [Fact]
    public async Task Another_officer_is_refused_a_supervisor_reads_everything_an_auditor_reads_without_personal_data()
    {
        var body = IntakeBodies.Case($"Amina Seen {Guid.NewGuid():N}"[..24]);
        var id = await IntakeHost.OpenAsync(intake.As($"officer-{Guid.NewGuid():N}", "officer"), body);
        string[] personalData =
        [
            body["defender"]!["fullName"]!.GetValue<string>(), "+57 300 1234567", "amina@example.org", "Calle 5 #12-34",
            "Men on motorbikes followed her home.", "Yusuf Testperson",
        ];

        await intake.As($"officer-{Guid.NewGuid():N}", "officer").SendAsync("GET", $"/api/cases/{id}")
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        var bySupervisor = await intake.As("supervisor-1", "supervisor").SendAsync("GET", $"/api/cases/{id}")
            .ShouldBe(HttpStatusCode.OK);
        bySupervisor.GetProperty("defender").Text("fullName").ShouldBe(personalData[0]);

        var byAuditor = await intake.As("auditor-1", "auditor").SendAsync("GET", $"/api/cases/{id}")
            .ShouldBe(HttpStatusCode.OK);
        byAuditor.Text("personalData").ShouldBe("withheldForRole");
        foreach (var value in personalData)
        {
            byAuditor.GetRawText().ShouldNotContain(value);
        }
    }

    [Fact]
    public async Task References_are_unique_and_sort_in_opening_order()
    {
        var officer = intake.As($"officer-{Guid.NewGuid():N}", "officer");
        var references = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await officer.SendAsync("POST", "/api/cases", IntakeBodies.Case().ToJsonString())
                .ShouldBe(HttpStatusCode.Created);
            references.Add(created.Text("reference")!);
        }

        references.Distinct().Count().ShouldBe(5);
        references.Order(StringComparer.Ordinal).ShouldBe(references);
    }

    [Fact]
    public async Task The_list_answers_200_with_the_officers_own_cases_only_and_no_personal_data()
    {
        var officer = intake.As($"officer-{Guid.NewGuid():N}", "officer");
        var id = await IntakeHost.OpenAsync(officer, IntakeBodies.Case("Amina Listed"));

        var list = await officer.SendAsync("GET", "/api/cases?status=open&country=CO").ShouldBe(HttpStatusCode.OK);
        list.GetProperty("total").GetInt64().ShouldBe(1);
        var row = list.Items().ShouldHaveSingleItem();
        row.GetProperty("id").GetGuid().ShouldBe(id);
        row.GetProperty("threatTypes")[0].GetString().ShouldBe("physical");
        row.GetRawText().ShouldNotContain("Amina Listed");

        var colleague = await intake.As($"officer-{Guid.NewGuid():N}", "officer").SendAsync("GET", "/api/cases")
            .ShouldBe(HttpStatusCode.OK);
        colleague.GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Reporting_a_threat_answers_201_with_the_next_version_whether_or_not_If_Match_is_sent()
    {
        var officer = intake.As($"officer-{Guid.NewGuid():N}", "officer");
        var id = await IntakeHost.OpenAsync(officer);

        using var pinned = await officer.SendAsync(
            "POST", $"/api/cases/{id}/threats", IntakeBodies.Threat().ToJsonString(), ifMatch: "\"1\"");
        var reported = await pinned.ShouldBe(HttpStatusCode.Created);
        pinned.ETagVersion().ShouldBe(2);
        reported.GetProperty("version").GetInt64().ShouldBe(2);
        pinned.Headers.Location!.ToString().ShouldBe($"/api/cases/{id}");

        using var unpinned = await officer.SendAsync("POST", $"/api/cases/{id}/threats", IntakeBodies.Threat()
            .ToJsonString());
        await unpinned.ShouldBe(HttpStatusCode.Created);
        unpinned.ETagVersion().ShouldBe(3);
        (await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK))
            .GetProperty("threats").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task Erasing_answers_200_with_the_next_version_then_409_and_the_file_reads_erased()
    {
        var officer = intake.As($"officer-{Guid.NewGuid():N}", "officer");
        var id = await IntakeHost.OpenAsync(officer);
        var admin = intake.As("admin-1", "admin");

        using var erased = await admin.SendAsync("POST", $"/api/cases/{id}/erasure", """{"basis":"defenderRequest"}""");
        (await erased.ShouldBe(HttpStatusCode.OK)).Text("basis").ShouldBe("defenderRequest");
        erased.ETagVersion().ShouldBe(2);

        await admin.SendAsync("POST", $"/api/cases/{id}/erasure", """{"basis":"securityRisk"}""")
            .ShouldBeProblem(HttpStatusCode.Conflict);
        var file = await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        file.Text("personalData").ShouldBe("erased");
        file.GetProperty("defender").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task The_audit_endpoints_answer_the_history_an_intact_chain_and_the_access_log()
    {
        var officer = intake.As($"officer-{Guid.NewGuid():N}", "officer");
        var id = await IntakeHost.OpenAsync(officer);
        await officer.SendAsync("GET", $"/api/cases/{id}").ShouldBe(HttpStatusCode.OK);
        await Audit.ShouldShowAsync(intake.As("auditor-1", "auditor"), id, "CaseOpened", "case-file");
    }

    [GeneratedRegex(@"^PC-\d{4}-\d{6,}$")]
    private static partial Regex ReferencePattern();
}
