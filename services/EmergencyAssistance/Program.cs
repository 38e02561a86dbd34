using Protection.EmergencyAssistance;
using Protection.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(AssistanceModule.ServiceName);
builder.AddAssistance();

var app = builder.Build();
app.UseServiceDefaults();
app.MapAssistanceApi();
app.Run();
