using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Protection.Identity.Pages.Account;

[Authorize(AuthenticationSchemes = "Identity.Application")]
[EnableRateLimiting(IdentityModule.SignInPolicy)]
public sealed class PasswordModel(UserManager<Accounts.Account> users, SignInManager<Accounts.Account> signIn)
    : PageModel
{
    [BindProperty]
    public string CurrentPassword { get; set; } = string.Empty;

    [BindProperty]
    public string NewPassword { get; set; } = string.Empty;

    [BindProperty]
    public string ConfirmPassword { get; set; } = string.Empty;

    public bool Changed { get; private set; }

    public List<string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Challenge(IdentityConstants.ApplicationScheme);
        }

        if (NewPassword != ConfirmPassword)
        {
            Errors.Add("The two new passwords differ.");
            return Page();
        }

        var result = await users.ChangePasswordAsync(
            account, CurrentPassword ?? string.Empty, NewPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            // Identity says "Incorrect password." for a wrong current password: that is about the
            // signed-in person's own account, so it reveals nothing to anyone else.
            Errors.AddRange(result.Errors.Select(e => e.Description));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await signIn.RefreshSignInAsync(account);
        Changed = true;
        return Page();
    }
}
