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
        // Two phases of samples in one process: the first right after one warm-up round (as in the
        // lifecycle definition), while tiered compilation is still compiling the store's code (the no-store
        // path runs the same runtime code the store runs, so it is always further along), then as many
        // again once that has settled (the JIT time of every sample is printed with it).
        var tiering = new Phase();
        var settled = new Phase();
        long emitted = 0, inFile = 0, otherRecords = 0;
        var flushSeconds = new List<double>();
        int fileNumber = 0;
        try
        {
            for (int round = -1; round < 2 * options.Samples; round++)
            {
                string label = round < 0 ? "warm-up" : round < options.Samples ? "tiering" : "settled";
                await Countdown.HeapAfterCollectAsync();
                double none = await WithSystemAsync(null, s => LifecycleAsync(s, actors, label));
                await Countdown.HeapAfterCollectAsync();
                (double store, StoreCount count) = await WithStoreAsync(s => LifecycleAsync(s, actors, label));
                await Countdown.HeapAfterCollectAsync();
                double nonePing = await WithSystemAsync(null, s => PapyraFramework.PingPongAsync(s, messages));
                await Countdown.HeapAfterCollectAsync();
                (double storePing, StoreCount pingCount) = await WithStoreAsync(s => PapyraFramework.PingPongAsync(s, messages));
                if (round < 0)
                {
                    continue;
                }

                Phase phase = round < options.Samples ? tiering : settled;
                phase.LifecycleNone.Add(actors / none);
                phase.LifecycleStore.Add(actors / store);
                phase.PingPongNone.Add(messages / nonePing);
                phase.PingPongStore.Add(messages / storePing);
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

        foreach ((string name, Phase phase) in new[] { ("tiering", tiering), ("settled", settled) })
        {
            Console.Error.WriteLine($"  store      {name} createstop none   {Samples(phase.LifecycleNone)}");
            Console.Error.WriteLine($"  store      {name} createstop json   {Samples(phase.LifecycleStore)}");
            Console.Error.WriteLine($"  store      {name} pingpong1  none   {Samples(phase.PingPongNone)}");
            Console.Error.WriteLine($"  store      {name} pingpong1  json   {Samples(phase.PingPongStore)}");
        }

        string n = actors.ToString(CultureInfo.InvariantCulture);
        return
        [
            $"default persistent store (Papyra, JSON lines, Fsync group commit) against no store, interleaved, median (min-max) of {options.Samples} samples right after one warm-up round (tiered compilation still compiling the store's code) and of {options.Samples} more after them (settled):",
            $"| {"scenario",-40} | {"unit",-8} | {"no store",-24} | {"json + fsync",-24} | store/none |",
            $"|{new string('-', 42)}|{new string('-', 10)}|{new string('-', 26)}|{new string('-', 26)}|------------|",
            Row($"create + stop {n}, settled", "actors/s", settled.LifecycleNone, settled.LifecycleStore),
            Row("ping-pong, 1 pair, settled", "msg/s", settled.PingPongNone, settled.PingPongStore),
            Row($"create + stop {n}, while tiering", "actors/s", tiering.LifecycleNone, tiering.LifecycleStore),
            Row("ping-pong, 1 pair, while tiering", "msg/s", tiering.PingPongNone, tiering.PingPongStore),
            $"lifecycle events emitted by the store runs: {emitted.ToString(CultureInfo.InvariantCulture)}; event records in their files: {inFile.ToString(CultureInfo.InvariantCulture)} ({(emitted == inFile ? "equal" : "MISSING " + (emitted - inFile).ToString(CultureInfo.InvariantCulture))}); other records: {otherRecords.ToString(CultureInfo.InvariantCulture)}; dispose (flush + close) after create+stop: median {Median(flushSeconds).ToString("0.000", CultureInfo.InvariantCulture)} s",
            $"ratios store/none createstop={Ratio(settled.LifecycleStore, settled.LifecycleNone)} pingpong1={Ratio(settled.PingPongStore, settled.PingPongNone)} createstop-tiering={Ratio(tiering.LifecycleStore, tiering.LifecycleNone)} pingpong1-tiering={Ratio(tiering.PingPongStore, tiering.PingPongNone)} events-emitted={emitted.ToString(CultureInfo.InvariantCulture)} events-in-file={inFile.ToString(CultureInfo.InvariantCulture)}",
        ];

        string Row(string scenario, string unit, List<double> none, List<double> store) =>
            $"| {scenario,-40} | {unit,-8} | {Cell(none),-24} | {Cell(store),-24} | {Percent(Median(store) / Median(none)),10} |";

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

        static string Ratio(List<double> store, List<double> none) => (Median(store) / Median(none)).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static async Task<double> WithSystemAsync(ActorSystemOptions? options, Func<ActorSystem, Task<double>> run)
    {
        await using var system = new ActorSystem(options);
        await system.StartAsync();
        return await run(system);
    }

    private static async Task<double> LifecycleAsync(ActorSystem system, int actors, string phase)
    {
        // What a sample cost besides its time: collections (each copies the live actors), their
        // pauses, process CPU and the bytes allocated per actor.
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        Environment.ProcessCpuUsage cpu = Environment.CpuUsage;
        TimeSpan pause = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes();
        TimeSpan jit = System.Runtime.JitInfo.GetCompilationTime();
        LifecycleTimes times = await PapyraFramework.SpawnThenStopAsync(system, actors);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  store      {phase} sample {(system.Options.Persistence is null ? "none" : "json")} spawn {times.Spawn * 1000:0.0} ms stop {times.Stop * 1000:0.0} ms, collections {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} (gen 0/1/2) pausing {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0.0} ms, cpu {(Environment.CpuUsage.UserTime - cpu.UserTime).TotalMilliseconds:0} ms user + {(Environment.CpuUsage.PrivilegedTime - cpu.PrivilegedTime).TotalMilliseconds:0} ms kernel, {(GC.GetTotalAllocatedBytes() - allocated) / actors} B/actor allocated, {(System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds:0} ms compiling"));
        return times.Spawn + times.Stop;
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private sealed class Phase
    {
        public List<double> LifecycleNone { get; } = [];

        public List<double> LifecycleStore { get; } = [];

        public List<double> PingPongNone { get; } = [];

        public List<double> PingPongStore { get; } = [];
    }

    private readonly record struct StoreCount(long Emitted, long InFile, long Other, double DisposeSeconds);
}
