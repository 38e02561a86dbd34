using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Protection.Identity.Accounts;
using Protection.ServiceDefaults.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Protection.Identity.Server;

/// <summary>
/// At start-up: the schema migrated, the five roles present, and the clients of the configuration
/// registered (created or updated; a client removed from the configuration is removed here too).
/// </summary>
public sealed class IdentityStartup(IServiceProvider services, IOptions<IdentityServiceOptions> options)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await PrepareDatabaseAsync(scope.ServiceProvider, cancellationToken);
        await RegisterClientsAsync(
            scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(),
            options.Value,
            cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Migrations and roles; also run by the bootstrap command before it creates the first administrator.
    /// </summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IdentityDb>().Database.MigrateAsync(cancellationToken);
        var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() });
            }
        }
    }

    private static async Task RegisterClientsAsync(
        IOpenIddictApplicationManager applications, IdentityServiceOptions options, CancellationToken cancellationToken)
    {
        foreach (var (clientId, client) in options.Clients)
        {
            var descriptor = Describe(clientId, client);
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
        }

        await foreach (var application in applications.ListAsync(cancellationToken: cancellationToken))
        {
            if (await applications.GetClientIdAsync(application, cancellationToken) is { } id
                && !options.Clients.ContainsKey(id))
            {
                await applications.DeleteAsync(application, cancellationToken);
            }
        }
    }

    private static OpenIddictApplicationDescriptor Describe(string clientId, ClientOptions client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = client.DisplayName ?? clientId,
            ClientType = client.IsConfidential ? ClientTypes.Confidential : ClientTypes.Public,
            ClientSecret = client.IsConfidential ? client.ClientSecret : null,
            ConsentType = ConsentTypes.Implicit, // first-party clients of the platform: no consent screen
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.Prefixes.Scope + ApiScopes.Api,
            },
        };

        if (client.RedirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith(
            [
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            ]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(client.RedirectUris.Select(u => new Uri(u)));
            descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris.Select(u => new Uri(u)));
        }

        if (client.IsConfidential && client.Roles.Count > 0)
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        return descriptor;
    }
}
