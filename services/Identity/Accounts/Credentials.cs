using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Protection.Identity.Accounts;

/// <summary>Why a sign-in was refused: for the log only. The person is always told the same thing.</summary>
public enum Refusal
{
    None,
    UnknownAccount,
    Deactivated,
    LockedOut,
    NotEnrolled,
    WrongPasswordOrCode,
    TooManyAttempts,
}

/// <summary>
/// Checks user name (or e-mail), password and second factor together, so a refusal never says which
/// part was wrong nor whether the account exists. Every failure counts toward the account's lockout
/// (5 failures), and attempts per typed account name are limited whether the account exists or not.
/// </summary>
public sealed class Credentials(
    UserManager<Account> users,
    IPasswordHasher<Account> hasher,
    AttemptsPerAccount attempts)
{
    private static readonly Account Nobody = new() { Id = Guid.Empty, UserName = "nobody" };
    private static readonly string NobodysHash =
        new PasswordHasher<Account>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public async Task<(Account? Account, Refusal Refusal)> CheckAsync(string name, string password, string code)
    {
        using var lease = attempts.Limiter.AttemptAcquire(name.Trim().ToUpperInvariant());
        if (!lease.IsAcquired)
        {
            return (null, Refusal.TooManyAttempts);
        }

        var account = await users.FindByNameAsync(name.Trim()) ?? await users.FindByEmailAsync(name.Trim());
        if (account is null)
        {
            // Spend the time a real check would, so the answer's timing does not tell either.
            hasher.VerifyHashedPassword(Nobody, NobodysHash, password);
            return (null, Refusal.UnknownAccount);
        }

        if (!account.IsActive)
        {
            return (account, Refusal.Deactivated);
        }

        if (await users.IsLockedOutAsync(account))
        {
            return (account, Refusal.LockedOut);
        }

        if (!account.TwoFactorEnabled)
        {
            return (account, Refusal.NotEnrolled);
        }

        var passwordRight = await users.CheckPasswordAsync(account, password);
        var codeRight = passwordRight && await SecondFactorAsync(account, code);
        if (!codeRight)
        {
            await users.AccessFailedAsync(account);
            return (account, Refusal.WrongPasswordOrCode);
        }

        await users.ResetAccessFailedCountAsync(account);
        return (account, Refusal.None);
    }

    /// <summary>A code from the authenticator, or else one of the recovery codes (used up by this).</summary>
    private async Task<bool> SecondFactorAsync(Account account, string code)
    {
        var compact = code
            .Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("-", string.Empty, StringComparison.Ordinal);
        if (compact.Length == 6 && compact.All(char.IsAsciiDigit))
        {
            return await users.VerifyTwoFactorTokenAsync(
                account, users.Options.Tokens.AuthenticatorTokenProvider, compact);
        }

        return compact.Length > 0 && (await users.RedeemTwoFactorRecoveryCodeAsync(account, code.Trim())).Succeeded;
    }
}

/// <summary>
/// Sign-in attempts per typed account name (existing or not), per minute: one limiter for the process.
/// </summary>
public sealed class AttemptsPerAccount(IOptions<IdentityServiceOptions> options) : IDisposable
{
    public PartitionedRateLimiter<string> Limiter { get; } = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInAttemptsPerAccountPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public void Dispose() => Limiter.Dispose();
}
