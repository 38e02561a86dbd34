namespace Protection.ServiceDefaults;

/// <summary>
/// In-process locks keyed by an id (64 stripes): writers to the same stream take turns instead of
/// colliding on its version. Correctness never depends on them (appends carry expected versions and
/// other replicas are not covered); they only turn would-be conflicts into short waits.
/// </summary>
public sealed class StripedLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Messages and commands about one case.</summary>
    public static StripedLocks Cases { get; } = new();

    /// <summary>Decisions that reserve money in one fund.</summary>
    public static StripedLocks Funds { get; } = new();

    public SemaphoreSlim For(Guid id) => _stripes[(id.GetHashCode() & int.MaxValue) % _stripes.Length];

    /// <summary>Runs <paramref name="work"/> holding the lock of <paramref name="id"/>.</summary>
    public async Task<T> RunAsync<T>(Guid id, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var stripe = For(id);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            stripe.Release();
        }
    }
}
