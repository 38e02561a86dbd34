using Protection.ServiceDefaults;

namespace Protection.Triage.Cases.Rebuilding;

/// <summary>
/// <c>dotnet Protection.Triage.dll rebuild-cases</c>: an operator rebuilds triage's case documents from the events,
/// with the service's own configuration (its database), while the service takes no writes. It prints counts and
/// times only.
/// </summary>
public static class RebuildCases
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        using var operation = OperationContext.Begin(OperationContext.System(TriageRebuild.Command));
        RebuildOutcome outcome;
        try
        {
            outcome = await app.Services.GetRequiredService<TriageRebuild>().RunAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The database's and the rebuild's messages name objects, statements and case ids, never a case's
            // content.
            await Console.Error.WriteLineAsync(
                $"rebuild-cases failed ({e.GetType().Name}): {e.Message}\nThe case documents are unchanged. Fix "
                + "the cause above (a service still writing, a view or lock on triage.mt_doc_triagecase, the right "
                + "to create a schema) and run rebuild-cases again.");
            return 1;
        }

        Console.WriteLine(
            $"Rebuilt {outcome.Cases:N0} cases from {outcome.Events:N0} events in {outcome.Total.TotalSeconds:0.00} s "
            + $"(all events read and folded after {outcome.Read.TotalSeconds:0.00} s).");
        return 0;
    }
}
