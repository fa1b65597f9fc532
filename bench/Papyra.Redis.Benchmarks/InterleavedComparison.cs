using System.Diagnostics;
using System.Globalization;
using Papyra.Persistence.Redis;

namespace Papyra.Redis.Benchmarks;

/// <summary>
/// The ≥ 90 % check, robust to a busy machine: raw and backend rounds alternate (order flipped every
/// round) against the same redis-server, so background load hits both alike; medians are compared.
/// </summary>
internal static class InterleavedComparison
{
    public static async Task<int> RunAsync(int rounds)
    {
        Console.WriteLine($"| encoding | raw XADD median (records/s) | backend median (records/s) | backend / raw | rounds x records |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        bool allMet = true;
        foreach (RedisRecordEncoding encoding in new[] { RedisRecordEncoding.MessagePack, RedisRecordEncoding.Json })
        {
            var bench = new PipelinedAppendBenchmarks { Encoding = encoding };
            bench.Setup();
            try
            {
                var raw = new List<double>();
                var backend = new List<double>();
                for (int round = -3; round < rounds; round++)
                {
                    bool rawFirst = (round & 1) == 0;
                    double first = await TimeAsync(bench, rawFirst);
                    double second = await TimeAsync(bench, !rawFirst);
                    if (round < 0)
                    {
                        continue; // warm-up rounds
                    }

                    raw.Add(rawFirst ? first : second);
                    backend.Add(rawFirst ? second : first);
                }

                double rawMedian = Median(raw);
                double backendMedian = Median(backend);
                double ratio = backendMedian / rawMedian;
                allMet &= ratio >= 0.9;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {encoding} | {rawMedian:N0} | {backendMedian:N0} | {ratio:P1} | {rounds} x {PipelinedAppendBenchmarks.RecordsPerOperation:N0} |"));
            }
            finally
            {
                bench.Cleanup();
            }
        }

        return allMet ? 0 : 1;
    }

    private static async Task<double> TimeAsync(PipelinedAppendBenchmarks bench, bool raw)
    {
        bench.ClearStreams();
        var clock = Stopwatch.StartNew();
        if (raw)
        {
            await bench.Raw_StackExchangeRedis_pipelined_XADD();
        }
        else
        {
            await bench.Backend_pipelined_appends();
        }

        return PipelinedAppendBenchmarks.RecordsPerOperation / clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    public static async Task ProbeAsync()
    {
        var bench = new PipelinedAppendBenchmarks { Encoding = RedisRecordEncoding.MessagePack };
        bench.Setup();
        try
        {
            for (int r = 0; r < 6; r++)
            {
                var c = Stopwatch.StartNew();
                for (int k = 0; k < 20; k++)
                {
                    bench.EncodeOnly();
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encode: {c.Elapsed.TotalNanoseconds / (20.0 * PipelinedAppendBenchmarks.RecordsPerOperation):F0} ns/record"));
            }

            for (int r = 0; r < 12; r++)
            {
                var clock = Stopwatch.StartNew();
                bench.EncodeOnly();
                double encode = clock.Elapsed.TotalMilliseconds;
                bench.ClearStreams();
                clock.Restart();
                await bench.Raw_StackExchangeRedis_pipelined_XADD();
                double raw = clock.Elapsed.TotalMilliseconds;
                bench.ClearStreams();
                clock.Restart();
                await bench.Raw_with_fresh_arrays();
                double fresh = clock.Elapsed.TotalMilliseconds;
                bench.ClearStreams();
                clock.Restart();
                await bench.Backend_pipelined_appends();
                double backend = clock.Elapsed.TotalMilliseconds;
                bench.ClearStreams();
                clock.Restart();
                await bench.Raw_with_codec();
                double whenAll = clock.Elapsed.TotalMilliseconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encode {encode:F1} ms, raw {raw:F1} ms, raw+fresh arrays {fresh:F1} ms, backend {backend:F1} ms, raw+codec {whenAll:F1} ms"));
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
