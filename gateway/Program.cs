using Protection.Gateway;
using Protection.Gateway.Audit;
using Protection.ServiceDefaults;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("gateway");
builder.Services.AddValidatedTokenCache();
builder.Services.AddValidation();
builder.Services.AddPerUserRateLimiting(builder.Configuration);
AuditFanOut.Register(builder);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
// Behind a TLS-terminating ingress: believe its X-Forwarded-* (the scheme the browser used is what the
// identity service checks), only when told to.
builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(forwarded =>
{
    forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
        | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
    if (builder.Configuration.GetValue<bool>("Gateway:TrustForwardedHeaders"))
    {
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
    }
});

var app = builder.Build();
app.UseForwardedHeaders();
app.UseServiceDefaults();
app.UseRateLimiter();

// One API reference for every service: each service's OpenAPI document is proxied under /openapi/{service}.json.
app.MapScalarApiReference("/scalar", scalar => scalar
    .WithTitle("Protection API")
    .AddDocument("identity", "Identity and administration", "/openapi/identity.json")
    .AddDocument("intake", "Intake", "/openapi/intake.json")
    .AddDocument("triage", "Triage", "/openapi/triage.json")
    .AddDocument("assistance", "Emergency assistance", "/openapi/assistance.json")
    .AddDocument("relocation", "Relocation", "/openapi/relocation.json")
    .AddDocument("gateway", "Gateway", "/openapi/v1.json"));

app.MapCaseAuditApi();
app.MapReverseProxy();
// An /api path no route takes (a dot segment resolved, an unknown operation) is a 404 problem here,
// not a page of the console (whose catch-all route comes last, at order 1000).
app.Map("/api/{**rest}", () => Protection.ServiceDefaults.Http.Problems.NotFound("This API operation"))
    .WithOrder(500).AllowAnonymous().ExcludeFromDescription();
app.Run();
