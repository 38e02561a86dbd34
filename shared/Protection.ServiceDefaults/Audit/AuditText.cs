using System.Text;

namespace Protection.ServiceDefaults.Audit;

public static class AuditText
{
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
