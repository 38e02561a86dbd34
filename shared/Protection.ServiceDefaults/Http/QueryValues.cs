namespace Protection.ServiceDefaults.Http;

/// <summary>
/// Query-string values read the way the JSON bodies are: enum names case-insensitively, numbers refused.
/// </summary>
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

    public const int MaxPageSize = 200;

    /// <summary>Pages start at 1; a page holds 1 to <see cref="MaxPageSize"/> items.</summary>
    public static void Paging(int page, int pageSize, IDictionary<string, string[]> errors)
    {
        if (page < 1)
        {
            errors["page"] = ["Pages start at 1."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Between 1 and {MaxPageSize}."];
        }
    }
}
