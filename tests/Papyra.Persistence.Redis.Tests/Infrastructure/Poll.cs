using System.Diagnostics;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>Waits for a condition by polling with a bounded timeout (never a fixed sleep).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
        => UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
