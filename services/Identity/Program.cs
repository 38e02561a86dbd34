using Protection.Identity;
using Protection.Identity.Admin;
using Protection.Identity.Server;
using Protection.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IdentityModule.ServiceName);
builder.AddIdentityService();
// Here and not in the service defaults: the validation source generator only sees calls in this project.
// Without it the [Required] of the admin and dev-token requests were not checked (a missing member was a 500).
builder.Services.AddValidation();

var app = builder.Build();
if (BootstrapAdmin.IsRequested(args))
{
    return await BootstrapAdmin.RunAsync(app, args);
}

app.UseIdentityService();
app.UseServiceDefaults();
app.UseRateLimiter();
app.MapRazorPages();
app.MapConnectEndpoints();
app.MapAdminApi();
if (app.Environment.IsDevelopment())
{
    app.MapDevTokens();
}

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
