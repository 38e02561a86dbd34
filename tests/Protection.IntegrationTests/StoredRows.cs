using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Protection.ServiceDefaults.Auth;

namespace Protection.IntegrationTests;

/// <summary>
/// What a service's database holds, read with plain SQL (not through Marten), for checking what is stored in clear.
/// </summary>
internal static class StoredRows
{
    /// <summary>
    /// Every row of every table in <paramref name="schema"/> (events, documents, outbox, keys), as JSON text.
    /// </summary>
    public static async Task<string> AllAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select table_name from information_schema.tables " +
            "where table_schema = @schema and table_type = 'BASE TABLE'",
            connection))
        {
            list.Parameters.AddWithValue("schema", schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.ShouldContain("mt_events");
        var all = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand(
                $"select coalesce(string_agg(row_to_json(t)::text, E'\\n'), '') from \"{schema}\".\"{table}\" t",
                connection);
            all.AppendLine((string)(await select.ExecuteScalarAsync())!);
        }

        return all.ToString();
    }

    /// <summary>
    /// The stored rows of one event stream (data, headers with the hash chain, timestamps), in order.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EventsAsync(string connectionString, string schema, Guid streamId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand(
            $"select row_to_json(e)::text from \"{schema}\".mt_events e where e.stream_id = @id order by e.version",
            connection);
        select.Parameters.AddWithValue("id", streamId);
        var rows = new List<string>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

/// <summary>An HTTP request as a handler sees it: the caller's identity and the service's container.</summary>
internal static class Requests
{
    public static HttpContext As(IServiceProvider services, string user, string role) => new DefaultHttpContext
    {
        RequestServices = services,
        User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(AuthenticationSetup.UserIdClaim, user),
                new Claim(AuthenticationSetup.RoleClaim, role),
                new Claim(AuthenticationSetup.OrganisationClaim, "org-a"),
            ],
            "test",
            AuthenticationSetup.UserIdClaim,
            AuthenticationSetup.RoleClaim)),
    };
}
