using System.Text;
using JasperFx.Events;
using Protection.ServiceDefaults.EventStore;

namespace Protection.ServiceDefaults.Audit;

public static class AuditText
{
    /// <summary>The event's own line (<see cref="IDescribed"/>), else its type name in words.</summary>
    public static string Describe(IEvent @event) =>
        @event.Data is IDescribed described ? described.Describe() : Humanize(@event.EventType.Name);

    /// <summary>
    /// The event's type as its stream recorded it (Marten's stored name, <c>grant_requested</c> →
    /// <c>GrantRequested</c>): an event type renamed in code keeps, in the audit, the name its history
    /// and its hash were written with.
    /// </summary>
    public static string RecordedType(IEvent @event) =>
        string.IsNullOrEmpty(@event.EventTypeName)
            ? @event.EventType.Name
            : string.Concat(@event.EventTypeName.Split('_').Select(word => word.Length == 0
                ? word
                : char.ToUpperInvariant(word[0]) + word[1..]));

    /// <summary><c>TriageOverdueFlagged</c> → <c>Triage overdue flagged</c>: the fallback line for an event without its own.</summary>
    public static string Humanize(string typeName)
    {
        var text = new StringBuilder(typeName.Length + 8);
        foreach (var c in typeName)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
