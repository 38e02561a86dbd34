using Protection.EmergencyAssistance;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;
using Protection.EventSourcing.Audit;
using Protection.EmergencyAssistance.Audit;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AssistanceModule.ServiceName);
builder.AddAssistance();
builder.AddCaseAudit<AssistanceAudit>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapAssistanceApi();
app.MapCaseAudit(AssistanceModule.ServiceName);
app.Run();
