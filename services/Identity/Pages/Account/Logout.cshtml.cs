using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Protection.Identity.Pages.Account;

public sealed class LogoutModel : PageModel
{
    public async Task OnPostAsync() => await HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
}
