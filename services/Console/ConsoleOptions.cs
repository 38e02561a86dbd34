namespace Protection.Console;

/// <summary>The console's settings (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>
    /// The client id registered with the identity service (authorization code + PKCE, public client).
    /// </summary>
    public string ClientId { get; set; } = "protection-console";

    /// <summary>
    /// Where the console calls the API from the server side: the gateway's address as seen from here.
    /// </summary>
    public Uri Api { get; set; } = new("http://127.0.0.1:8080/");

    /// <summary>How often an open queue page asks whether the queue changed.</summary>
    public TimeSpan QueueRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows per page in lists.</summary>
    public int PageSize { get; set; } = 25;
}
