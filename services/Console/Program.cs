using Protection.Console;
using Protection.Console.Components;
using Protection.Console.Exports;
using Protection.Console.Funder;
using Protection.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ConsoleModule.ServiceName);
builder.AddProtectionConsole();

var app = builder.Build();
app.UseProtectionConsole();
app.UseServiceDefaults();
app.MapConsoleEndpoints();
app.MapGrantExports();
app.MapCaseExports();
app.MapAuditExport();
app.MapRazorComponents<App>();
app.Run();
