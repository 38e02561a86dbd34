using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.Triage;
using Protection.Triage.Audit;
using Protection.Triage.Cases;
using Protection.Triage.Cases.Rebuilding;
using Protection.Triage.Dashboards;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(TriageModule.ServiceName);
builder.AddTriage();
builder.AddCaseAudit<TriageAudit>();

var app = builder.Build();
if (TriageRebuild.IsRequested(args))
{
    return await RebuildCases.RunAsync(app);
}

app.UseServiceDefaults();
app.MapCasesApi();
app.MapTriageDashboard();
app.MapCaseAudit(TriageModule.ServiceName);
await app.RunAsync();
return 0;
