using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protection.Intake;
using Protection.Triage;
using Protection.Triage.Cases.Rebuilding;

namespace Protection.Bench.Driver;

/// <summary>
/// Marten stores configured exactly as the services configure theirs (their own modules build them),
/// on the services' databases: the benchmark reads, seeds and rebuilds through the product's own
/// event store setup (hash chain included). Nothing is started: no bus, no web server.
/// </summary>
public sealed class ServiceStores : IAsyncDisposable
{
    private readonly WebApplication _intake;
    private readonly IHost _triage;

    private ServiceStores(WebApplication intake, IHost triage)
    {
        _intake = intake;
        _triage = triage;
        IntakeStore = intake.Services.GetRequiredService<IDocumentStore>();
        TriageStore = triage.Services.GetRequiredService<IDocumentStore>();
        TriageRebuild = triage.Services.GetRequiredService<TriageRebuild>();
    }

    public IDocumentStore IntakeStore { get; }

    public IDocumentStore TriageStore { get; }

    /// <summary>Triage's rebuild of its case documents, as <c>rebuild-cases</c> runs it.</summary>
    public TriageRebuild TriageRebuild { get; }

    public static ServiceStores Open(BenchSettings settings)
    {
        var intake = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development, // the local system's development passwords
        });
        Configure(intake.Configuration, settings, $"{settings.DatabasePrefix}intake");
        intake.Services.AddSingleton(TimeProvider.System);
        intake.AddIntake();

        var triage = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development, // the local system's development passwords
            DisableDefaults = true,
        });
        Configure(triage.Configuration, settings, $"{settings.DatabasePrefix}triage");
        triage.Services.AddSingleton(TimeProvider.System);
        triage.AddTriage();
        return new ServiceStores(intake.Build(), triage.Build());
    }

    private static void Configure(IConfigurationManager configuration, BenchSettings settings, string database) =>
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = settings.Postgres(database, pool: 4),
            ["ConnectionStrings:RabbitMq"] = settings.RabbitMq,
            // Never used to seal or open anything here; only so the module can be built outside Development.
            ["PersonalData:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });

    public async ValueTask DisposeAsync()
    {
        await _intake.DisposeAsync();
        _triage.Dispose();
    }
}
