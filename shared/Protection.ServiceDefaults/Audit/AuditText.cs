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
    /// The event's type as the store keeps it, in Pascal case (<c>case_opened</c> → <c>CaseOpened</c>): the
    /// history names an event by its stored alias, not its class, so a class renamed with its alias kept
    /// (<c>MapEventType</c>) reads the same in every history, old events and new.
    /// </summary>
    public static string StoredName(IEvent @event) =>
        string.Concat(@event.EventTypeName
            .Split('_')
            .Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

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
