namespace ActorComparison;

/// <summary>
/// The fan-in protocol every framework shares: dedicated producer threads are started first and
/// park on one signal; after a forced collection the signal releases them together and the clock
/// starts, so thread start-up and a collection of the previous sample's garbage are not timed.
/// </summary>
internal static class ReleasedFanIn
{
    /// <summary>Runs one sample; <paramref name="send"/> tells one message to the sink, <paramref name="done"/> completes when the sink has them all.</summary>
    /// <returns>Seconds from the release until <paramref name="done"/> completed.</returns>
    public static async Task<double> RunAsync(int producers, int perProducer, Action send, Task done)
    {
        using var ready = new CountdownEvent(producers);
        using var release = new ManualResetEventSlim(false);
        var threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            threads[p] = new Thread(() =>
            {
                ready.Signal();
                release.Wait();
                for (int i = 0; i < perProducer; i++)
                {
                    send();
                }
            })
            {
                IsBackground = true,
                Name = "fan-in producer",
            };
            threads[p].Start();
        }

        ready.Wait();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        release.Set();
        await done.ConfigureAwait(false);
        double elapsed = watch.Elapsed.TotalSeconds;
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return elapsed;
    }
}
