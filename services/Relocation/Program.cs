using Protection.Relocations;
using Protection.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(RelocationModule.ServiceName);
builder.AddRelocation();

var app = builder.Build();
app.UseServiceDefaults();
app.MapRelocationApi();
app.Run();
