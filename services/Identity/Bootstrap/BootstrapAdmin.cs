using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Protection.Identity.Accounts;
using Protection.Identity.Admin;
using Protection.Identity.Organisations;
using Protection.Identity.Server;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Auth;
using Protection.EventSourcing.EventStore;

namespace Protection.Identity;

/// <summary>
/// <c>dotnet Protection.Identity.dll bootstrap-admin --email … [--user …]</c>: the first platform
/// administrator, once. It prints a one-time enrolment link (password + authenticator); there is no
/// default password anywhere. Refused when an administrator exists: then the admin API creates people.
/// </summary>
public static class BootstrapAdmin
{
    public const string Command = "bootstrap-admin";
    public const string PlatformOrganisation = "Platform operators";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var email = Argument(args, "--email");
        if (email is null || !email.Contains('@', StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync(
                $"usage: dotnet Protection.Identity.dll {Command} --email admin@example.org [--user admin]");
            return 2;
        }

        var userName = Argument(args, "--user") ?? email;
        Console.WriteLine("Preparing the identity database…");
        await DatabaseBootstrap.EnsureDatabaseAsync(app.Configuration.GetConnectionString("Postgres")!);
        await app.Services.GetRequiredService<Marten.IDocumentStore>()
            .Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await IdentityStartup.PrepareDatabaseAsync(services, CancellationToken.None);

        var users = services.GetRequiredService<UserManager<Account>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            await Console.Error.WriteLineAsync(
                "An administrator exists already. Sign in as one and create accounts with the admin API "
                + "(/api/admin/users); to regain access, reset an administrator's second factor from another "
                + "administrator's account.");
            return 1;
        }

        var db = services.GetRequiredService<IdentityDb>();
        var log = services.GetRequiredService<AdminLog>();
        var clock = services.GetRequiredService<TimeProvider>();
        using var operation = OperationContext.Begin(OperationContext.System(Command));

        var platform = await db.Organisations.SingleOrDefaultAsync(o => o.Kind == OrganisationKind.Platform);
        if (platform is null)
        {
            platform = new Organisation
            {
                Id = Guid.CreateVersion7(),
                Name = PlatformOrganisation,
                Kind = OrganisationKind.Platform,
                CreatedAt = clock.GetUtcNow(),
            };
            var created = platform;
            await log.RecordAsync(platform.Id, async () =>
            {
                db.Organisations.Add(created);
                await db.SaveChangesAsync();
                return (created, (object?)new OrganisationCreated(created.Id, created.Name, created.Kind));
            }, CancellationToken.None);
        }

        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            Email = email,
            EmailConfirmed = true,
            OrganisationId = platform.Id,
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };
        var enrolment = services.GetRequiredService<Enrolment>();
        (Uri? Link, DateTimeOffset Expires, string[] Errors) outcome = await log.RecordAsync(account.Id, async () =>
        {
            var result = await users.CreateAsync(account);
            if (!result.Succeeded)
            {
                return (
                    ((Uri?)null, DateTimeOffset.MinValue, result.Errors.Select(e => e.Description).ToArray()),
                    (object?)null);
            }

            await users.AddToRoleAsync(account, Roles.Admin);
            var (uri, until) = await enrolment.StartAsync(account, clock.GetUtcNow());
            return (
                ((Uri?)uri, until, Array.Empty<string>()),
                (object?)new AccountCreated(account.Id, platform.Id, [Roles.Admin]));
        }, CancellationToken.None);

        var (link, expires, errors) = outcome;
        if (link is null)
        {
            await Console.Error.WriteLineAsync("The administrator could not be created: " + string.Join(" ", errors));
            return 1;
        }

        Console.WriteLine($"Administrator created (account {account.Id}) in '{platform.Name}'.");
        Console.WriteLine(
            $"One-time enrolment link (valid until {expires:u}); "
            + "open it to choose a password and set up an authenticator:");
        Console.WriteLine(link.AbsoluteUri);
        return 0;
    }

    private static string? Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
