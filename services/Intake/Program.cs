using Protection.Intake;
using Protection.Intake.Cases;
using Protection.Intake.Cases.Dashboard;
using Protection.ServiceDefaults;
using Protection.ServiceDefaults.Audit;

using Protection.EventSourcing.Audit;
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(IntakeModule.ServiceName);
builder.AddIntake();

var app = builder.Build();
app.UseServiceDefaults();
app.MapCasesApi();
app.MapCasesDashboard();
app.MapCaseAudit(IntakeModule.ServiceName);
app.Run();
