namespace Protection.ServiceTests.Hosting;

/// <summary>
/// A service that learns of cases from intake's <c>CaseOpened</c> (triage, emergency assistance,
/// relocation): a case exists there once the fact has been handed to its consumer.
/// </summary>
public abstract class DownstreamHost<TEntryPoint> : ServiceHost<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>A case intake opened for <paramref name="officer"/>, known here; returns its id.</summary>
    public async Task<Guid> CaseOfAsync(string officer)
    {
        var id = Guid.CreateVersion7();
        await DeliverAsync(Facts.CaseOpened(id, officer));
        return id;
    }
}
