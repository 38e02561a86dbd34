using Marten;
using Marten.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Protection.Relocations;
using Protection.Relocations.Relocations;

namespace Protection.UnitTests;

/// <summary>
/// The relocation's events renamed in code (apart from the integration events of the same name) are stored
/// and read under the names they were first recorded with: the recorded fixtures, existing databases and the
/// hash chain over them name the events so. Read from the event store as the service configures it (no
/// database is opened).
/// </summary>
public sealed class RelocationEventNames
{
    public static readonly TheoryData<Type, string> Stored = new()
    {
        { typeof(RelocationOpened), "relocation_requested" },
        { typeof(RelocationPlanned), "relocation_planned" },
        { typeof(FundingReceived), "funding_received" },
        { typeof(RelocationFunded), "relocation_funded" },
        { typeof(RelocationDeparted), "relocation_departed" },
        { typeof(RelocationArrived), "relocation_arrived" },
        { typeof(DefenderCheckedIn), "check_in_recorded" },
        { typeof(CheckInMissedFlagged), "check_in_missed_flagged" },
        { typeof(StayProlonged), "stay_extended" },
        { typeof(StayEndingFlagged), "stay_ending_flagged" },
        { typeof(DefenderReturned), "defender_returned" },
        { typeof(DefenderResettled), "defender_resettled" },
        { typeof(RelocationConcluded), "relocation_closed" },
    };

    [Theory]
    [MemberData(nameof(Stored))]
    public void Each_event_keeps_the_name_it_was_recorded_under(Type type, string name)
    {
        using var host = Configured();
        var events = (EventGraph)((StoreOptions)host.Services.GetRequiredService<IDocumentStore>().Options).Events;

        events.EventMappingFor(type).EventTypeName.ShouldBe(name);
        events.AllKnownEventTypes().Where(e => e.EventTypeName == name).Select(e => e.EventType).ShouldBe([type]);
    }

    private static IHost Configured()
    {
        // Development: the connection strings carry development passwords (checked, never used).
        var builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Database=never_opened",
            ["ConnectionStrings:RabbitMq"] = "amqp://never:opened@127.0.0.1:1/",
            ["PersonalData:MasterKey"] =
                Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddRelocation();
        return builder.Build();
    }
}
