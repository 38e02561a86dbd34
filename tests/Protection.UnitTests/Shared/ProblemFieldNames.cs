using Protection.ServiceDefaults.Http;

namespace Protection.UnitTests.Shared;

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

    [Theory]
    [InlineData("Defender", "The Defender field is required.", "The defender field is required.")]
    [InlineData("Defender.FullName", "The field FullName must be a string.", "The field fullName must be a string.")]
    [InlineData("Threats[0].Type", "The Type field is required.", "The type field is required.")]
    [InlineData("Threats", "Report at least one threat.", "Report at least one threat.")]
    public void Validation_messages_name_the_member_as_the_json_does(string key, string message, string expected) =>
        ProblemDetailsSetup.JsonMessages(key, [message]).ShouldBe([expected]);

    [Theory]
    [InlineData(4096, "4 KB")]
    [InlineData(262144, "256 KB")]
    [InlineData(1048576, "1 MB")]
    [InlineData(100, "100 bytes")]
    public void Body_limits_are_said_in_kilobytes(long bytes, string said) => BodyLimits.Describe(bytes).ShouldBe(said);

    [Theory]
    [InlineData("{\"name\":\"a\u0000b\"}")]
    [InlineData("{\"name\":\"\u0000\"}")]
    public void Text_with_a_nul_character_is_refused_naming_the_member(string json)
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new NoNulStringConverter() },
        };
        var refused = Should.Throw<System.Text.Json.JsonException>(() =>
            System.Text.Json.JsonSerializer.Deserialize<Named>(json, options));
        refused.Path.ShouldBe("$.name");
        System.Text.Json.JsonSerializer.Deserialize<Named>("{\"name\":\"tab\\there\"}", options)!.Name
            .ShouldBe("tab\there");
    }

    public sealed record Named(string? Name);

    [Theory]
    [InlineData("10", true)]
    [InlineData("10.5", true)]
    [InlineData("10.50", true)]
    [InlineData("null", true)]
    [InlineData("10.001", false)]
    [InlineData("1e2", false)]
    [InlineData("1e-400", false)]
    [InlineData("1E308", false)]
    [InlineData("\"10\"", false)]
    public void Amounts_are_plain_numbers_in_whole_cents(string amount, bool accepted)
    {
        var json = $"{{\"Amount\":{amount}}}";
        if (accepted)
        {
            var read = System.Text.Json.JsonSerializer.Deserialize<Priced>(json)!;
            read.Amount.ShouldBe(
                amount == "null" ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Should.Throw<System.Text.Json.JsonException>(() =>
                    System.Text.Json.JsonSerializer.Deserialize<Priced>(json))
                .Path.ShouldBe("$.Amount");
        }
    }

    public sealed record Priced
    {
        [System.Text.Json.Serialization.JsonConverter(typeof(Protection.EmergencyAssistance.Funds.MoneyJsonConverter))]
        public decimal? Amount { get; init; }
    }

    [Fact]
    public void Query_enums_are_read_case_insensitively_and_numbers_are_refused()
    {
        var errors = new Dictionary<string, string[]>();
        QueryValues.Enum<DayOfWeek>("monday", "day", errors).ShouldBe(DayOfWeek.Monday);
        QueryValues.Enum<DayOfWeek>("1", "day", errors).ShouldBeNull();
        errors["day"][0].ShouldContain("monday");
    }
}
