using JasperFx.Events;
using Marten;
using Marten.Events;
using Protection.EmergencyAssistance;
using Protection.EmergencyAssistance.Funds;
using Protection.EmergencyAssistance.Grants;
using Protection.ServiceDefaults.Audit;
using Protection.ServiceDefaults.EventStore;

namespace Protection.UnitTests;

/// <summary>
/// An event keeps the name its stream recorded it with, whatever its type is called in code now: Marten
/// loads the rows already written by that name, the hash chain covers it, and the auditor reads it as the
/// event's type. Emergency assistance renamed four events apart from the contracts they publish.
/// </summary>
public sealed class RecordedEventNames
{
    private static readonly Dictionary<Type, string> RenamedFrom = new()
    {
        [typeof(GrantRequestFiled)] = "GrantRequested",
        [typeof(GrantAwarded)] = "GrantApproved",
        [typeof(GrantDeclined)] = "GrantRejected",
        [typeof(GrantRequestWithdrawn)] = "GrantWithdrawn",
    };

    public static TheoryData<Type> AssistanceEvents()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(Grant).Assembly.GetTypes().Where(t => t.IsAssignableTo(typeof(IDescribed))))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_renamed_grant_events_are_stored_under_their_first_names()
    {
        var events = Assistance();

        events.EventMappingFor(typeof(GrantRequestFiled)).EventTypeName.ShouldBe("grant_requested");
        events.EventMappingFor(typeof(GrantAwarded)).EventTypeName.ShouldBe("grant_approved");
        events.EventMappingFor(typeof(GrantDeclined)).EventTypeName.ShouldBe("grant_rejected");
        events.EventMappingFor(typeof(GrantRequestWithdrawn)).EventTypeName.ShouldBe("grant_withdrawn");
    }

    [Theory]
    [MemberData(nameof(AssistanceEvents))]
    public void An_assistance_event_reads_in_the_audit_as_the_type_it_was_recorded_as(Type type)
    {
        var stored = Assistance().EventMappingFor(type).EventTypeName;

        AuditText.TypeName(Recorded(type, stored)).ShouldBe(RenamedFrom.GetValueOrDefault(type, type.Name));
    }

    /// <summary>An event under Marten's default name (every other service's) reads in the audit as its type.</summary>
    [Fact]
    public void An_event_not_renamed_reads_in_the_audit_as_its_type()
    {
        var stored = Events(new StoreOptions()).EventMappingFor(typeof(CaseRead)).EventTypeName;

        stored.ShouldBe("case_read");
        AuditText.TypeName(Recorded(typeof(CaseRead), stored)).ShouldBe(nameof(CaseRead));
    }

    private static EventGraph Assistance()
    {
        var options = new StoreOptions();
        AssistanceModule.MapRenamedEvents(options);
        return Events(options);
    }

    private static EventGraph Events(StoreOptions options) => (EventGraph)options.Events;

    private static IEvent Recorded(Type type, string storedName)
    {
        var data = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        var @event = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(type), data)!;
        @event.EventTypeName = storedName;
        return @event;
    }
}
