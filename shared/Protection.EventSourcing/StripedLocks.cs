namespace Protection.EventSourcing;

/// <summary>
/// In-process locks keyed by an id (64 stripes): writers to the same stream take turns instead of
/// colliding on its version. Correctness never depends on them (appends carry expected versions and
/// other replicas are not covered); they only turn would-be conflicts into short waits.
/// </summary>
public sealed class StripedLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    // Per stripe, completed (and replaced) each time RunAsync lets the stripe go: "the state may have changed".
    private readonly TaskCompletionSource[] _released = Enumerable.Range(0, 64).Select(_ => NewSignal()).ToArray();

    /// <summary>Messages and commands about one case.</summary>
    public static StripedLocks Cases { get; } = new();

    /// <summary>Decisions that reserve money in one fund.</summary>
    public static StripedLocks Funds { get; } = new();

    /// <summary>Runs <paramref name="work"/> holding the lock of <paramref name="id"/>.</summary>
    public async Task<T> RunAsync<T>(Guid id, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var index = Stripe(id);
        await _stripes[index].WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            Release(index);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> holding the lock of <paramref name="id"/>, unless
    /// <paramref name="answeredWithoutTurn"/> (asked first, then each time a holder of the stripe lets it
    /// go) answers without it: a refusal read from the committed state needs no turn, and should not
    /// wait behind every writer queued before it (a burst's last answer would come after the gateway
    /// gave up).
    /// </summary>
    public async Task<T> RunAsync<T>(
        Guid id, Func<Task<T>> work, Func<Task<T?>> answeredWithoutTurn, CancellationToken cancellationToken)
        where T : class
    {
        var index = Stripe(id);
        var turn = _stripes[index].WaitAsync(cancellationToken);
        while (!turn.IsCompleted)
        {
            var released = Volatile.Read(ref _released[index]).Task;
            if (await answeredWithoutTurn() is { } answer)
            {
                // The turn, if it comes, is handed on.
                _ = turn.ContinueWith(
                    t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            Release(index);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                return answer;
            }

            await Task.WhenAny(turn, released);
        }

        await turn;
        try
        {
            return await work();
        }
        finally
        {
            Release(index);
        }
    }

    /// <summary>
    /// Takes the locks of every one of <paramref name="ids"/> (each stripe once, in ascending order, so two
    /// holders of several never wait for each other in a circle), until the answer is disposed.
    /// </summary>
    public async Task<Held> AllAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var indexes = ids.Select(Stripe).Distinct().Order().ToArray();
        var taken = 0;
        try
        {
            for (; taken < indexes.Length; taken++)
            {
                await _stripes[indexes[taken]].WaitAsync(cancellationToken);
            }
        }
        catch
        {
            foreach (var index in indexes.Take(taken))
            {
                Release(index);
            }

            throw;
        }

        return new Held(this, indexes);
    }

    /// <summary>Stripes taken by <see cref="AllAsync"/>; disposing lets them go.</summary>
    public sealed class Held(StripedLocks locks, int[] indexes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                foreach (var index in indexes)
                {
                    locks.Release(index);
                }
            }
        }
    }

    private int Stripe(Guid id) => (id.GetHashCode() & int.MaxValue) % _stripes.Length;

    private void Release(int index)
    {
        _stripes[index].Release();
        Interlocked.Exchange(ref _released[index], NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
