using Protection.Relocations;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.Relocations.Audit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(RelocationModule.ServiceName);
builder.AddRelocation();
builder.AddCaseAudit<RelocationAudit>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapRelocationApi();
app.MapCaseAudit(RelocationModule.ServiceName);
app.Run();
