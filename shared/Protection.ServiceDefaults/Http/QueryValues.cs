namespace Protection.ServiceDefaults.Http;

/// <summary>Query-string values read the way the JSON bodies are: enum names case-insensitively, numbers refused.</summary>
public static class QueryValues
{
    public static TEnum? Enum<TEnum>(string? value, string field, IDictionary<string, string[]> errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!char.IsDigit(value[0]) && System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed))
        {
            return parsed;
        }

        var accepted = System.Enum.GetNames<TEnum>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]);
        errors[field] = [$"Use one of: {string.Join(", ", accepted)}."];
        return null;
    }
}
