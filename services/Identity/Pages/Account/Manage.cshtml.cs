using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Protection.Identity.Pages.Account;

[Authorize(AuthenticationSchemes = "Identity.Application")]
public sealed class ManageModel(UserManager<Accounts.Account> users) : PageModel
{
    public string UserName { get; private set; } = string.Empty;

    public async Task OnGetAsync() => UserName = (await users.GetUserAsync(User))?.UserName ?? string.Empty;
}
