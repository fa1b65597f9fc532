using System.Diagnostics;
using System.Globalization;
using Papyra.Persistence.Redis;

namespace Papyra.Redis.Benchmarks;

/// <summary>
/// The ≥ 90 % check, robust to a busy machine: raw and backend rounds alternate (order flipped every
/// round) against the same redis-server, so background load hits both alike. Reports median
/// throughput, this process's CPU time per record and the GC pause time per record for each side.
/// </summary>
internal static class InterleavedComparison
{
    /// <summary>The fewest warm-up rounds (each a raw and a backend round).</summary>
    public const int DefaultWarmupRounds = 30;

    // Warm-up ends when the JIT has settled: fewer than JitSettledMethods methods compiled over
    // the last JitSettledRounds rounds. Right after start-up the JIT is still tiering code up
    // for a hundred rounds or so (~3,000 of ~3,750 methods compiled after 15 rounds): measuring
    // then times tier-0 code and competes with the background compiler for the two cores, which
    // penalised whichever side and encoding had more code still to tier up.
    private const int JitSettledRounds = 20;
    private const int JitSettledMethods = 5;
    private const int MaxWarmupRounds = 600;

    public static async Task<int> RunAsync(int rounds, int minWarmupRounds = DefaultWarmupRounds, string? clusterUrl = null, RedisRecordEncoding[]? encodings = null)
    {
        Console.WriteLine("| encoding | payload bytes | raw XADD median (records/s) | backend median (records/s) | backend / raw | client CPU per record raw / backend | GC pause per record raw / backend | rounds x records after warm-up rounds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        bool allMet = true;
        RedisRecordEncoding[] measured = encodings ?? [RedisRecordEncoding.MessagePack, RedisRecordEncoding.Json];
        var benches = new List<PipelinedAppendBenchmarks>();
        try
        {
            foreach (RedisRecordEncoding encoding in measured)
            {
                var bench = new PipelinedAppendBenchmarks { Encoding = encoding, ClusterUrl = clusterUrl };
                bench.Setup();
                benches.Add(bench);
            }

            // Every encoding is warmed up before any is measured: measured one after the other, the
            // first came out 5 to 13 points lower than when measured second, whichever it was
            // (MessagePack first: 86.1, 83.4, 89.0 %; second: 99.4, 96.3 %), as the process was
            // still settling (GC budgets, thread pool, shared code) while the JIT already was.
            var warmups = new int[benches.Count];
            for (int i = 0; i < benches.Count; i++)
            {
                warmups[i] = await WarmUpAsync(benches[i], minWarmupRounds);
            }

            for (int i = 0; i < benches.Count; i++)
            {
                PipelinedAppendBenchmarks bench = benches[i];
                var raw = new List<double>();
                var backend = new List<double>();
                double rawCpu = 0;
                double backendCpu = 0;
                double rawPause = 0;
                double backendPause = 0;
                for (int round = 0; round < rounds; round++)
                {
                    bool rawFirst = (round & 1) == 0;
                    (double firstRate, double firstCpu, double firstPause) = await MeasureAsync(bench, rawFirst);
                    (double secondRate, double secondCpu, double secondPause) = await MeasureAsync(bench, !rawFirst);

                    raw.Add(rawFirst ? firstRate : secondRate);
                    backend.Add(rawFirst ? secondRate : firstRate);
                    rawCpu += rawFirst ? firstCpu : secondCpu;
                    backendCpu += rawFirst ? secondCpu : firstCpu;
                    rawPause += rawFirst ? firstPause : secondPause;
                    backendPause += rawFirst ? secondPause : firstPause;
                }

                double rawMedian = Median(raw);
                double backendMedian = Median(backend);
                double ratio = backendMedian / rawMedian;
                allMet &= ratio >= 0.9;
                double perRecord = 1e9 / ((double)rounds * PipelinedAppendBenchmarks.RecordsPerOperation);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {bench.Encoding} | {bench.PayloadBytes} | {rawMedian:N0} | {backendMedian:N0} | {ratio:P1} | {rawCpu * perRecord:N0} ns / {backendCpu * perRecord:N0} ns | {rawPause * perRecord:N0} ns / {backendPause * perRecord:N0} ns | {rounds} x {PipelinedAppendBenchmarks.RecordsPerOperation:N0} after {warmups[i]} |"));
            }
        }
        finally
        {
            foreach (PipelinedAppendBenchmarks bench in benches)
            {
                bench.Cleanup();
            }
        }

        return allMet ? 0 : 1;
    }

    // Raw and backend rounds in turn until the JIT has settled (at least minWarmupRounds); returns how many.
    private static async Task<int> WarmUpAsync(PipelinedAppendBenchmarks bench, int minWarmupRounds)
    {
        var compiled = new List<long>();
        int warmup = 0;
        while (warmup < MaxWarmupRounds
            && (warmup < Math.Max(minWarmupRounds, JitSettledRounds) || compiled[^1] - compiled[^JitSettledRounds] >= JitSettledMethods))
        {
            bool rawFirst = (warmup & 1) == 0;
            await MeasureAsync(bench, rawFirst);
            await MeasureAsync(bench, !rawFirst);
            compiled.Add(System.Runtime.JitInfo.GetCompiledMethodCount());
            warmup++;
        }

        return warmup;
    }

    /// <summary>
    /// The cost of replicated durability on a cluster: backend rounds with MinReplicas 0 and 1 (WAIT after
    /// each XADD) alternate, after warm-up; medians.
    /// </summary>
    public static async Task RunReplicatedAsync(string clusterUrl, int rounds, int warmupRounds)
    {
        var plain = new PipelinedAppendBenchmarks { ClusterUrl = clusterUrl };
        var replicated = new PipelinedAppendBenchmarks { ClusterUrl = clusterUrl, MinReplicas = 1 };
        plain.Setup();
        replicated.Setup();
        try
        {
            var plainRates = new List<double>();
            var replicatedRates = new List<double>();
            for (int round = 0; round < warmupRounds + rounds; round++)
            {
                bool plainFirst = (round & 1) == 0;
                double first = (await MeasureAsync(plainFirst ? plain : replicated, raw: false)).RecordsPerSecond;
                double second = (await MeasureAsync(plainFirst ? replicated : plain, raw: false)).RecordsPerSecond;
                if (round >= warmupRounds)
                {
                    plainRates.Add(plainFirst ? first : second);
                    replicatedRates.Add(plainFirst ? second : first);
                }
            }

            double plainMedian = Median(plainRates);
            double replicatedMedian = Median(replicatedRates);
            Console.WriteLine();
            Console.WriteLine("| backend setting (MessagePack, cluster) | median (records/s) | relative | rounds x records after warm-up rounds |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| MinReplicas = 0 (master acknowledged) | {plainMedian:N0} | 100.0 % | {rounds} x {PipelinedAppendBenchmarks.RecordsPerOperation:N0} after {warmupRounds} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| MinReplicas = 1 (WAIT 1, one per group of pipelined appends) | {replicatedMedian:N0} | {replicatedMedian / plainMedian:P1} | {rounds} x {PipelinedAppendBenchmarks.RecordsPerOperation:N0} after {warmupRounds} |"));
        }
        finally
        {
            plain.Cleanup();
            replicated.Cleanup();
        }
    }

    private static async Task<(double RecordsPerSecond, double CpuSeconds, double GcPauseSeconds)> MeasureAsync(PipelinedAppendBenchmarks bench, bool raw)
    {
        bench.ClearStreams();
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        await (raw ? bench.Raw_StackExchangeRedis_pipelined_XADD() : bench.Backend_pipelined_appends());
        double seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return (PipelinedAppendBenchmarks.RecordsPerOperation / seconds, (self.TotalProcessorTime - cpuBefore).TotalSeconds, (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
