namespace Protection.Testing;

/// <summary>Waits for something asynchronous (a message, a projection) with a deadline, never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, TimeSpan within, string what)
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

            await Task.Delay(25);
        }
    }
}
