using Protection.ServiceDefaults;
using Protection.Triage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(TriageModule.ServiceName);
builder.AddTriage();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTriageApi();
app.Run();
