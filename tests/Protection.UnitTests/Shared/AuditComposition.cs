using System.Text.Json.Nodes;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.EventSourcing.PersonalData;

namespace Protection.UnitTests.Shared;

/// <summary>
/// The pure parts of the audit: withholding sealed values in exports, reading a moment to travel to, fallback lines.
/// </summary>
public sealed class AuditComposition
{
    [Fact]
    public void Every_sealed_value_in_an_event_is_replaced_by_the_marker_at_any_depth_and_nothing_else_changes()
    {
        var data = JsonNode.Parse("""
            {
              "caseId": "0199",
              "defender": { "ciphertext": "AAAA" },
              "threats": [
                { "type": "physical", "details": { "ciphertext": "BBBB" } },
                { "type": "digital", "details": null }
              ],
              "consent": { "shareWithFunders": true },
              "note": { "ciphertext": "CCCC", "other": 1 }
            }
            """);

        var redacted = AuditEndpoints.Redact(data, CaseKeys.Withheld)!.ToJsonString();

        redacted.ShouldBe(
            """{"caseId":"0199","defender":"[withheld]","threats":[""" +
            """{"type":"physical","details":"[withheld]"},{"type":"digital","details":null}],"consent":""" +
            """{"shareWithFunders":true},"note":{"ciphertext":"CCCC","other":1}}""");
    }

    [Fact]
    public void A_sealed_value_at_the_top_or_in_an_array_is_replaced_too()
    {
        AuditEndpoints.Redact(JsonNode.Parse("""{"ciphertext":"X"}"""), "[erased]")!.ToJsonString()
            .ShouldBe("\"[erased]\"");
        AuditEndpoints.Redact(JsonNode.Parse("""[{"ciphertext":"X"},2]"""), "[erased]")!.ToJsonString()
            .ShouldBe("""["[erased]",2]""");
    }

    [Theory]
    [InlineData("2026-11-25T10:30:00Z", "2026-11-25T10:30:00.0000000+00:00")]
    [InlineData("2026-11-25T12:30:00+02:00", "2026-11-25T10:30:00.0000000+00:00")]
    [InlineData("2026-11-25T10:30:00.123456Z", "2026-11-25T10:30:00.1234560+00:00")]
    public void A_moment_is_read_in_ISO_8601_and_kept_in_UTC(string text, string expected)
    {
        AuditWire.TryReadMoment(text, out var moment).ShouldBeTrue();
        moment!.Value.ToString("O").ShouldBe(expected);
        moment.Value.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_moment_means_now(string? text)
    {
        AuditWire.TryReadMoment(text, out var moment).ShouldBeTrue();
        moment.ShouldBeNull();
    }

    [Theory]
    [InlineData("last-tuesday")]
    [InlineData("2026-13-45")]
    [InlineData("yesterday 10:00")]
    public void Anything_else_is_refused(string text) => AuditWire.TryReadMoment(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("TriageOverdueFlagged", "Triage overdue flagged")]
    [InlineData("CaseRead", "Case read")]
    [InlineData("X", "X")]
    public void An_event_without_its_own_line_reads_as_its_name_in_words(string type, string line) =>
        AuditText.Humanize(type).ShouldBe(line);
}
