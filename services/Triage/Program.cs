using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.Triage;
using Protection.Triage.Audit;
using Protection.Triage.Cases;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(TriageModule.ServiceName);
builder.AddTriage();
builder.AddCaseAudit<TriageAudit>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCasesApi();
app.MapCaseAudit(TriageModule.ServiceName);
app.Run();
