using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Protection.Identity.Accounts;
using Protection.Identity.Admin;

namespace Protection.Identity.Pages.Account;

/// <summary>
/// The one-time enrolment link: a password and an authenticator (TOTP) together, then recovery codes
/// shown once. Nothing is written until the link, the password and the code all check out.
/// </summary>
[EnableRateLimiting(IdentityModule.SignInPolicy)]
public sealed class EnrolModel(UserManager<Accounts.Account> users, Enrolment enrolment, AdminLog log) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Account { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty]
    public string ConfirmPassword { get; set; } = string.Empty;

    [BindProperty]
    public string Code { get; set; } = string.Empty;

    public bool LinkValid { get; private set; }

    public string AuthenticatorKey { get; private set; } = string.Empty;

    public string FormattedKey =>
        string.Join(' ', AuthenticatorKey.Chunk(4).Select(c => new string(c))).ToLowerInvariant();

    public string AuthenticatorUri { get; private set; } = string.Empty;

    /// <summary>
    /// The same link as a QR code (SVG, drawn here: nothing leaves the server), for a phone to scan off the
    /// screen.
    /// </summary>
    public string QrCodeSvg
    {
        get
        {
            using var generator = new QRCoder.QRCodeGenerator();
            using var data = generator.CreateQrCode(AuthenticatorUri, QRCoder.QRCodeGenerator.ECCLevel.M);
            return new QRCoder.SvgQRCode(data).GetGraphic(4);
        }
    }

    public List<string> Errors { get; } = [];

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        if (!LinkValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken token)
    {
        var account = await LoadAsync();
        if (account is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Password != ConfirmPassword)
        {
            Errors.Add("The two passwords differ.");
        }

        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, account, Password ?? string.Empty);
            Errors.AddRange(result.Errors.Select(e => e.Description));
        }

        var code = (Code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Errors.Add("The code does not match the key. Check the time on your phone and enter the newest code.");
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        RecoveryCodes = await log.RecordAsync(account.Id, async () =>
        {
            if (await users.HasPasswordAsync(account))
            {
                await users.RemovePasswordAsync(account);
            }

            await users.AddPasswordAsync(account, Password!);
            await users.SetTwoFactorEnabledAsync(account, true);
            await users.ResetAccessFailedCountAsync(account);
            var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToArray();
            return ((IReadOnlyList<string>)codes, (object?)new AccountEnrolled(account.Id));
        }, token);
        return Page();
    }

    private async Task<Accounts.Account?> LoadAsync()
    {
        var account = await users.FindByIdAsync(Account.ToString());
        LinkValid = account is { IsActive: true }
            && !string.IsNullOrEmpty(Token)
            && await enrolment.IsValidAsync(account, Token);
        if (!LinkValid)
        {
            return null;
        }

        AuthenticatorKey = (await users.GetAuthenticatorKeyAsync(account!))!;
        AuthenticatorUri = $"otpauth://totp/Protection:{Uri.EscapeDataString(account!.UserName!)}"
            + $"?secret={AuthenticatorKey}&issuer=Protection&digits=6";
        return account;
    }
}
