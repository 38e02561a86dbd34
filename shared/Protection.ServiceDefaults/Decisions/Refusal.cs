namespace Protection.ServiceDefaults.Decisions;

/// <summary>What kind of "no" a decision gives; each maps to one status and one typed result.</summary>
public enum RefusalKind
{
    /// <summary>404: what the command names does not exist (for this reader).</summary>
    NotFound,

    /// <summary>403: it exists, but this actor may not do this to it.</summary>
    Forbidden,

    /// <summary>409: the state does not allow it now, or the caller read an older version.</summary>
    Conflict,

    /// <summary>422: well-formed, but a rule refuses a named field.</summary>
    Invalid,
}

/// <summary>
/// Why a command is not carried out: a domain answer, with no HTTP in it. Decisions return it;
/// endpoints map it to the typed problem result their signature declares (<see cref="Http.Answers"/>).
/// </summary>
public sealed record Refusal(
    RefusalKind Kind,
    string Title,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, $"{what} was not found.");

    public static Refusal Forbidden(string why) => new(RefusalKind.Forbidden, why);

    /// <summary>
    /// The state does not allow it now (e.g. the case is closed); <paramref name="extensions"/> may name the
    /// allowed next steps.
    /// </summary>
    public static Refusal Conflict(string title, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(RefusalKind.Conflict, title, Extensions: extensions);

    /// <summary>The caller's <c>If-Match</c> no longer holds: someone changed it since they read it.</summary>
    public static Refusal Stale(long currentVersion) => new(
        RefusalKind.Conflict,
        "The case has changed since you read it. Reload it and try again.",
        Extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors, string title) =>
        new(RefusalKind.Invalid, title, errors);

    public static Refusal Invalid(string field, string message, string title) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, title);
}

/// <summary>A decision's answer: a value (the events, a view), or the refusal that stops it.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refusal? refusal) => (Value, Refusal) = (value, refusal);

    public T? Value { get; }

    public Refusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

/// <summary>An answer that carries the stream version it was built from: the resource's ETag.</summary>
public interface IVersioned
{
    long Version { get; }
}
