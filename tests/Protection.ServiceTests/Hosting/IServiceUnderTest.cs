namespace Protection.ServiceTests.Hosting;

/// <summary>
/// What the shared refusal tests ask of a hosted service, whatever its <c>Program</c>: clients, and paths
/// to what it has seeded. (<see cref="ServiceHost{TEntryPoint}"/> is generic in the entry point, which
/// <see cref="Refusals{TSelf, THost}"/> has no reason to know.)
/// </summary>
public interface IServiceUnderTest
{
    /// <summary>A client whose requests carry a token for <paramref name="user"/> in these roles.</summary>
    HttpClient As(string user, params string[] roles);

    /// <summary>A client whose requests carry <paramref name="token"/>, e.g. another organisation's.</summary>
    HttpClient WithToken(string token);

    /// <summary>A client that sends no token.</summary>
    HttpClient Anonymous();

    /// <summary>A path template with the seeded ids (<c>{case}</c>…) and <c>{unknown}</c> filled in.</summary>
    string Path(string template);
}
