namespace Protection.Testing;

/// <summary>
/// Waits for something asynchronous (a message, a projection, a refusal) to appear: polls until the probe
/// returns a value or the time allowed has passed, so a test waits only as long as it must. It proves
/// presence only. A test that must show that something did not happen (a duplicate, a leaked message)
/// first waits here for a positive signal that it would have happened by then (a sentinel handled after
/// it, the outbox emptied, a later deadline raised), then looks.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(25);

    /// <param name="probe">Returns the value once it is there, null until then.</param>
    /// <param name="within">How long to wait at most; longer is a failure.</param>
    /// <param name="what">What is waited for, for the failure's message.</param>
    /// <param name="every">How often to probe (25 ms unless the probe is costly, e.g. a request through the
    /// gateway).</param>
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan within, string what, TimeSpan? every = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {within.TotalSeconds:0.#} s for {what}.");
            }

            await Task.Delay(every ?? DefaultInterval);
        }
    }
}
