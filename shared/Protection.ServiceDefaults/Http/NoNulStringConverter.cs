using System.Text.Json;
using System.Text.Json.Serialization;

namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Request texts never hold U+0000: no field of this API means it, PostgreSQL cannot store it in
/// <c>jsonb</c> (an unsealed code holding one failed the write: a 500), and it cuts strings short in
/// the tools that read exports. Refused while the body is read (400 naming the member).
/// </summary>
public sealed class NoNulStringConverter : JsonConverter<string>
{
    public const string Problem = "Text cannot contain the NUL character (U+0000).";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonMemberException(Problem)
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
