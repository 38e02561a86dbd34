using System.Text;
using JasperFx.Events;
using Protection.EventSourcing.EventStore;

namespace Protection.EventSourcing.Audit;

public static class AuditText
{
    /// <summary>The event's own line (<see cref="IDescribed"/>), else its type name in words.</summary>
    public static string Describe(IEvent @event) =>
        @event.Data is IDescribed described ? described.Describe() : Humanize(@event.EventType.Name);

    /// <summary>
    /// The name the event is stored under, as a type name (<c>risk_assessed</c> → <c>RiskAssessed</c>): an
    /// event type renamed in code keeps its stored name (Marten's alias), and auditors keep reading it.
    /// </summary>
    public static string TypeName(IEvent @event) => string.Concat(@event.EventTypeName
        .Split('_')
        .Select(word => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..]));

    /// <summary>
    /// <c>TriageOverdueFlagged</c> → <c>Triage overdue flagged</c>: the fallback line for an event without its own.
    /// </summary>
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
