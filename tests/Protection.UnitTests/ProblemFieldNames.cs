using Protection.ServiceDefaults.Http;

namespace Protection.UnitTests;

public sealed class ProblemFieldNames
{
    [Theory]
    [InlineData("$.threats[0].type", "threats[0].type")]
    [InlineData("$.defender", "defender")]
    [InlineData("$", "body")]
    [InlineData(null, "body")]
    public void A_json_path_names_the_field_as_the_client_wrote_it(string? path, string field) =>
        ProblemDetailsSetup.FieldName(path).ShouldBe(field);

    [Theory]
    [InlineData("Defender.Contacts.Email", "defender.contacts.email")]
    [InlineData("Threats[0].Description", "threats[0].description")]
    [InlineData("Threats", "threats")]
    public void Validation_keys_are_camel_cased_like_the_json(string key, string field) =>
        ProblemDetailsSetup.JsonFieldName(key).ShouldBe(field);

    [Fact]
    public void Query_enums_are_read_case_insensitively_and_numbers_are_refused()
    {
        var errors = new Dictionary<string, string[]>();
        QueryValues.Enum<DayOfWeek>("monday", "day", errors).ShouldBe(DayOfWeek.Monday);
        QueryValues.Enum<DayOfWeek>("1", "day", errors).ShouldBeNull();
        errors["day"][0].ShouldContain("monday");
    }
}
