using Protection.Identity;
using Protection.Identity.Admin;
using Protection.Identity.Organisations;
using Protection.Identity.Server;
using Protection.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IdentityModule.ServiceName);
builder.AddIdentityService();

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
app.MapOrganisationDirectory();
if (app.Environment.IsDevelopment())
{
    app.MapDevTokens();
}

await app.RunAsync();
return 0;
