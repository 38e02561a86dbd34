using System.Text.Json;
using System.Text.Json.Serialization;
using Protection.ServiceDefaults.Http;

namespace Protection.EmergencyAssistance.Funds;

/// <summary>
/// Reads an amount exactly as written: a plain JSON number with at most two decimals (<c>10.50</c>).
/// More decimals than money has (<c>10.001</c>) were rounded away, and exponents (<c>1e-400</c> read
/// as 0) hid what was meant; both are refused with 400 naming the member instead of being stored.
/// </summary>
public sealed class MoneyJsonConverter : JsonConverter<decimal?>
{
    public const string Problem = "An amount in whole cents: a plain number with at most two decimals, e.g. 10.50.";

    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || reader.HasValueSequence)
        {
            throw new JsonMemberException(Problem);
        }

        var text = reader.ValueSpan;
        var point = text.IndexOf((byte)'.');
        if (text.IndexOfAny((byte)'e', (byte)'E') >= 0
            || (point >= 0 && text.Length - point - 1 > 2)
            || !reader.TryGetDecimal(out var amount))
        {
            throw new JsonMemberException(Problem);
        }

        return amount;
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } amount)
        {
            writer.WriteNumberValue(amount);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
