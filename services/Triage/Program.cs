using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.Triage.Audit;
using Protection.Triage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(TriageModule.ServiceName);
builder.AddTriage();
builder.AddCaseAudit<TriageAudit>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapTriageApi();
app.MapCaseAudit(TriageModule.ServiceName);
app.Run();
