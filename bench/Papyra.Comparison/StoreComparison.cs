using System.Globalization;
using Papyra;
using Papyra.Persistence.Json;

namespace ActorComparison;

/// <summary>
/// Papyra with its default persistent configuration (the JSON-lines file store, Fsync group
/// commit) against the same scenario with no store, interleaved sample by sample in one run:
/// create+stop (the independent lifecycle definition) and ping-pong with one pair. Every sample
/// uses a fresh system (and a fresh store file); after it is disposed (flushed and closed) the
/// lifecycle events in the file are counted against the events the system emitted.
/// </summary>
internal static class StoreComparison
{
    public static async Task<IReadOnlyList<string>> RunAsync(HarnessOptions options, Func<double, string> format)
    {
        string root = Path.Combine(Path.GetTempPath(), "papyra-comparison-store-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        int actors = options.LifecycleActors;
        int messages = options.PingPongMessages;
        var lifecycle = (None: new List<double>(), Store: new List<double>());
        var pingPong = (None: new List<double>(), Store: new List<double>());
        long emitted = 0, inFile = 0, otherRecords = 0;
        var flushSeconds = new List<double>();
        int fileNumber = 0;
        try
        {
            // One warm-up round of each, then interleaved samples.
            for (int sample = -1; sample < options.Samples; sample++)
            {
                await Countdown.HeapAfterCollectAsync();
                double none = await WithSystemAsync(null, s => LifecycleAsync(s, actors));
                await Countdown.HeapAfterCollectAsync();
                (double store, StoreCount count) = await WithStoreAsync(s => LifecycleAsync(s, actors));
                await Countdown.HeapAfterCollectAsync();
                double nonePing = await WithSystemAsync(null, s => PapyraFramework.PingPongAsync(s, messages));
                await Countdown.HeapAfterCollectAsync();
                (double storePing, StoreCount pingCount) = await WithStoreAsync(s => PapyraFramework.PingPongAsync(s, messages));
                if (sample < 0)
                {
                    continue;
                }

                lifecycle.None.Add(actors / none);
                lifecycle.Store.Add(actors / store);
                pingPong.None.Add(messages / nonePing);
                pingPong.Store.Add(messages / storePing);
                emitted += count.Emitted + pingCount.Emitted;
                inFile += count.InFile + pingCount.InFile;
                otherRecords += count.Other + pingCount.Other;
                flushSeconds.Add(count.DisposeSeconds);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        double lifeNone = Median(lifecycle.None), lifeStore = Median(lifecycle.Store);
        double pingNone = Median(pingPong.None), pingStore = Median(pingPong.Store);
        Console.Error.WriteLine($"  store      createstop none   {Samples(lifecycle.None)}");
        Console.Error.WriteLine($"  store      createstop json   {Samples(lifecycle.Store)}");
        Console.Error.WriteLine($"  store      pingpong1  none   {Samples(pingPong.None)}");
        Console.Error.WriteLine($"  store      pingpong1  json   {Samples(pingPong.Store)}");
        return
        [
            $"default persistent store (Papyra, JSON lines, Fsync group commit) against no store, {options.Samples} interleaved samples, median (min-max):",
            $"| {"scenario",-32} | {"unit",-8} | {"no store",-24} | {"json + fsync",-24} | store/none |",
            $"|{new string('-', 34)}|{new string('-', 10)}|{new string('-', 26)}|{new string('-', 26)}|------------|",
            $"| {"create + stop " + actors.ToString(CultureInfo.InvariantCulture),-32} | {"actors/s",-8} | {Cell(lifecycle.None),-24} | {Cell(lifecycle.Store),-24} | {Percent(lifeStore / lifeNone),10} |",
            $"| {"ping-pong, 1 pair",-32} | {"msg/s",-8} | {Cell(pingPong.None),-24} | {Cell(pingPong.Store),-24} | {Percent(pingStore / pingNone),10} |",
            $"lifecycle events emitted by the store runs: {emitted.ToString(CultureInfo.InvariantCulture)}; event records in their files: {inFile.ToString(CultureInfo.InvariantCulture)} ({(emitted == inFile ? "equal" : "MISSING " + (emitted - inFile).ToString(CultureInfo.InvariantCulture))}); other records: {otherRecords.ToString(CultureInfo.InvariantCulture)}; dispose (flush + close) after create+stop: median {Median(flushSeconds).ToString("0.000", CultureInfo.InvariantCulture)} s",
            $"ratios store/none createstop={(lifeStore / lifeNone).ToString("0.00", CultureInfo.InvariantCulture)} pingpong1={(pingStore / pingNone).ToString("0.00", CultureInfo.InvariantCulture)} events-emitted={emitted.ToString(CultureInfo.InvariantCulture)} events-in-file={inFile.ToString(CultureInfo.InvariantCulture)}",
        ];

        async Task<(double Seconds, StoreCount Count)> WithStoreAsync(Func<ActorSystem, Task<double>> run)
        {
            string path = Path.Combine(root, $"store-{fileNumber++}.ndjson");
            var backend = new JsonFilePersistenceBackend(path);
            var system = new ActorSystem(new ActorSystemOptions { Persistence = backend });
            double seconds;
            long emittedHere;
            var watch = new System.Diagnostics.Stopwatch();
            try
            {
                await system.StartAsync();
                seconds = await run(system);
            }
            finally
            {
                watch.Start();
                await system.DisposeAsync();
                watch.Stop();
                emittedHere = system.LastEventSequence;
            }

            long events = 0, other = 0;
            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith("{\"kind\":\"event\"", StringComparison.Ordinal))
                {
                    events++;
                }
                else if (line.Length > 0)
                {
                    other++;
                }
            }

            File.Delete(path);
            return (seconds, new StoreCount(emittedHere, events, other, watch.Elapsed.TotalSeconds));
        }

        string Cell(List<double> samples) => $"{format(Median(samples))} ({format(samples.Min())}-{format(samples.Max())})";

        string Samples(List<double> samples) => string.Join(" ", samples.Order().Select(format));
    }

    private static async Task<double> WithSystemAsync(ActorSystemOptions? options, Func<ActorSystem, Task<double>> run)
    {
        await using var system = new ActorSystem(options);
        await system.StartAsync();
        return await run(system);
    }

    private static async Task<double> LifecycleAsync(ActorSystem system, int actors)
    {
        // What a sample cost besides its time: collections (each copies the live actors), their
        // pauses, process CPU and the bytes allocated per actor.
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
        TimeSpan pause = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes();
        LifecycleTimes times = await PapyraFramework.SpawnThenStopAsync(system, actors);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  store      sample {(system.Options.Persistence is null ? "none" : "json")} spawn {times.Spawn * 1000:0.0} ms stop {times.Stop * 1000:0.0} ms, collections {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} (gen 0/1/2) pausing {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0.0} ms, cpu {(Environment.CpuUsage.UserTime - cpu.UserTime).TotalMilliseconds:0} ms user + {(Environment.CpuUsage.PrivilegedTime - cpu.PrivilegedTime).TotalMilliseconds:0} ms kernel, {(GC.GetTotalAllocatedBytes() - allocated) / actors} B/actor allocated"));
        return times.Spawn + times.Stop;
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private readonly record struct StoreCount(long Emitted, long InFile, long Other, double DisposeSeconds);
}
