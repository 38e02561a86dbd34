namespace Protection.Testing;

/// <summary>
/// Waits for something asynchronous (a message, a projection) to appear, polling until a deadline,
/// so a test waits only as long as it must. It proves presence; a test that must show something
/// did not happen (a duplicate, a leaked message) still waits a fixed time before it looks.
/// </summary>
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
