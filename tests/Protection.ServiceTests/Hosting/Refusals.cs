using System.Net;
using System.Reflection;
using System.Text.Json;
using Xunit.Sdk;

namespace Protection.ServiceTests.Hosting;

/// <summary>
/// The tables a service's refusal class supplies: what the same refusals of <see cref="Refusals{TSelf, THost}"/>
/// are checked on. A path is a template for <see cref="IServiceUnderTest.Path"/>; a role of <c>officer</c>
/// (or another the service seeds, see <see cref="Refusals{TSelf, THost}.User"/>) acts as the seeded user.
/// </summary>
public interface IRefusalTables
{
    /// <summary>Every endpoint, as (method, path, body).</summary>
    static abstract TheoryData<string, string, string?> Endpoints { get; }

    /// <summary>(method, path, body, role): a role the endpoint refuses.</summary>
    static abstract TheoryData<string, string, string?, string> RolesThatMayNot { get; }

    /// <summary>(method, path, body): the endpoints only the case's own officer (of the officers) may use.</summary>
    static abstract TheoryData<string, string, string?> CaseworkerEndpoints { get; }

    /// <summary>(method, path, body, role): a path naming something that does not exist.</summary>
    static abstract TheoryData<string, string, string?, string> Unknown { get; }

    /// <summary>(path, body, role): the POSTs that honour <c>If-Match</c> on the seeded resource.</summary>
    static abstract TheoryData<string, string?, string> Commands { get; }

    /// <summary>(method, path, body, role, status, field): a request wrong in one field, and the answer.</summary>
    static abstract TheoryData<string, string, string?, string, int, string> BadRequests { get; }
}

/// <summary>
/// The refusals every service owes, written once: 401 without a token, 403 for a role or an officer who
/// may not, 404 for what does not exist, 409 for a stale <c>If-Match</c>, 400/422 naming the bad field —
/// each with problem details, and each leaving <see cref="StateAsync"/> as it was. A service's class
/// supplies its host, its tables (<typeparamref name="TSelf"/> must implement them, so a missing one fails
/// the build, not the run) and its own refusals besides.
/// </summary>
public abstract class Refusals<TSelf, THost>(THost host)
    where TSelf : Refusals<TSelf, THost>, IRefusalTables
    where THost : IServiceUnderTest
{
    protected THost Host { get; } = host;

    /// <summary>The officer whose case the host seeded.</summary>
    protected abstract string CaseOfficer { get; }

    [Theory]
    [Table(nameof(IRefusalTables.Endpoints))]
    public Task Without_a_token_an_endpoint_answers_401(string method, string path, string? body) =>
        RefusedAsync(Host.Anonymous(), method, path, body, HttpStatusCode.Unauthorized);

    [Theory]
    [Table(nameof(IRefusalTables.RolesThatMayNot))]
    public Task A_role_that_may_not_is_refused_403_and_nothing_changes(
        string method, string path, string? body, string role) =>
        RefusedAsync(Host.As($"{role}-{Guid.NewGuid():N}", role), method, path, body, HttpStatusCode.Forbidden);

    [Theory]
    [Table(nameof(IRefusalTables.CaseworkerEndpoints))]
    public Task Another_officer_is_refused_the_case_403(string method, string path, string? body) =>
        RefusedAsync(Host.As($"officer-{Guid.NewGuid():N}", "officer"), method, path, body,
            HttpStatusCode.Forbidden);

    [Theory]
    [Table(nameof(IRefusalTables.Unknown))]
    public Task What_does_not_exist_is_404(string method, string path, string? body, string role) =>
        RefusedAsync(As(role), method, path, body, HttpStatusCode.NotFound);

    [Theory]
    [Table(nameof(IRefusalTables.Commands))]
    public async Task A_command_on_a_stale_version_is_409_with_the_current_version_and_changes_nothing(
        string path, string? body, string role)
    {
        var version = await VersionAsync();
        var problem = await RefusedAsync(As(role), "POST", path, body, HttpStatusCode.Conflict,
            ifMatch: $"\"{version + 5}\"");
        problem.GetProperty("currentVersion").GetInt64().ShouldBe(version);
    }

    [Theory]
    [Table(nameof(IRefusalTables.BadRequests))]
    public Task A_bad_request_is_refused_naming_the_field_and_changes_nothing(
        string method, string path, string? body, string role, int status, string field) =>
        RefusedAsync(As(role), method, path, body, (HttpStatusCode)status, field);

    /// <summary>
    /// Sends the request as <paramref name="client"/>, expects a problem of <paramref name="status"/> (naming
    /// <paramref name="field"/>, if given) and that <see cref="StateAsync"/> did not move; returns the problem.
    /// </summary>
    protected async Task<JsonElement> RefusedAsync(
        HttpClient client, string method, string path, string? body, HttpStatusCode status, string? field = null,
        string? ifMatch = null)
    {
        var before = await StateAsync();
        var problem = await client.SendAsync(method, Host.Path(path), Body(body), ifMatch)
            .ShouldBeProblem(status, field);
        (await StateAsync()).ShouldBe(before);
        return problem;
    }

    /// <summary>A client for <paramref name="role"/>: the seeded user of it (<see cref="User"/>).</summary>
    protected HttpClient As(string role) => Host.As(User(role), role);

    /// <summary>
    /// The seeded case's officer for <c>officer</c>, so that only the refusal under test can refuse; any
    /// user of the role otherwise.
    /// </summary>
    protected virtual string User(string role) => role == "officer" ? CaseOfficer : $"{role}-{Guid.NewGuid():N}";

    /// <summary>A table's body as sent; a service whose bodies name seeded ids fills them in here.</summary>
    protected virtual string? Body(string? body) => body;

    /// <summary>The version of the seeded resource the <see cref="IRefusalTables.Commands"/> act on.</summary>
    protected abstract Task<long> VersionAsync();

    /// <summary>What no refusal may change, compared by <c>Equals</c>; by default <see cref="VersionAsync"/>.</summary>
    protected virtual async Task<object> StateAsync() => await VersionAsync();
}

/// <summary>
/// <see cref="MemberDataAttribute"/> for a test declared on a base class. xUnit looks the member up on the
/// test method's declaring type, the base, which has no tables; this looks it up on the class the test runs
/// as (the method's reflected type), the service's.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class TableAttribute(string member) : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        new MemberDataAttribute(member) { MemberType = testMethod.ReflectedType }.GetData(testMethod);
}
