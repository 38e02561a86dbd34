using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Protection.Console.Session;

/// <summary>
/// Sign-in sessions kept on the server: the browser's cookie holds only a random key, and the
/// tokens (access, refresh, identity) stay here, never in the browser. A restart of the console
/// signs people out (they sign in again through the identity service's session).
/// </summary>
public sealed class TicketStore(IMemoryCache cache) : ITicketStore
{
    private static readonly TimeSpan Idle = TimeSpan.FromHours(8);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        cache.Set(key, ticket, new MemoryCacheEntryOptions { SlidingExpiration = Idle });
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        cache.Set(key, ticket, new MemoryCacheEntryOptions { SlidingExpiration = Idle });
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(cache.Get<AuthenticationTicket>(key));

    public Task RemoveAsync(string key)
    {
        cache.Remove(key);
        return Task.CompletedTask;
    }
}
