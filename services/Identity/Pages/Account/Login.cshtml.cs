using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Protection.Identity.Accounts;

namespace Protection.Identity.Pages.Account;

/// <summary>
/// One form for user name, password and second factor: a refusal is one sentence whatever was wrong,
/// so it tells nothing about which part failed or whether the account exists.
/// </summary>
[EnableRateLimiting(IdentityModule.SignInPolicy)]
public sealed partial class LoginModel(
    Credentials credentials, SignInManager<Accounts.Account> signIn, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Name { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty]
    public string Code { get; set; } = string.Empty;

    public bool Failed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (account, refusal) = await credentials.CheckAsync(
            Name ?? string.Empty, Password ?? string.Empty, Code ?? string.Empty);
        if (refusal != Refusal.None || account is null)
        {
            // The account id when there is one (pseudonymous); never the typed name, password or code.
            LogRefused(logger, refusal, account?.Id);
            Failed = true;
            Password = string.Empty;
            Response.StatusCode = refusal == Refusal.TooManyAttempts
                ? StatusCodes.Status429TooManyRequests
                : StatusCodes.Status400BadRequest;
            return Page();
        }

        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [new("amr", "pwd"), new("amr", "otp")]);
        LogSignedIn(logger, account.Id);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/account/manage");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused ({Refusal}) for account {AccountId}")]
    private static partial void LogRefused(ILogger logger, Refusal refusal, Guid? accountId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed in: account {AccountId}")]
    private static partial void LogSignedIn(ILogger logger, Guid accountId);
}
