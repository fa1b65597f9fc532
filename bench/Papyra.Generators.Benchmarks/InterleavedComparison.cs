using System.Diagnostics;
using System.Globalization;

namespace Papyra.Generators.Benchmarks;

/// <summary>
/// A paired, interleaved comparison of generated and hand-written dispatch. BenchmarkDotNet runs one
/// benchmark after the other, so on a shared, loaded machine the load drifts between them and their
/// ratio is mostly noise; measuring both in alternation, round after round, and taking the median
/// of the per-round ratios cancels that drift.
/// </summary>
public static class InterleavedComparison
{
    private const int CallsPerSample = 16;
    private const int MessagesPerCall = 1024;

    /// <summary>Runs the comparison and prints per-message times and the median paired ratio.</summary>
    /// <param name="rounds">Paired samples to take.</param>
    public static void Run(int rounds)
    {
        var benchmarks = new DispatchBenchmarks();
        benchmarks.Setup();
        for (int i = 0; i < 500; i++)
        {
            benchmarks.Hand_written_switch();
            benchmarks.Generated_switch();
        }

        Func<long> handWritten = benchmarks.Hand_written_switch;
        Func<long> generatedSwitch = benchmarks.Generated_switch;
        double[] hand = new double[rounds];
        double[] generated = new double[rounds];
        double[] ratios = new double[rounds];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int round = 0; round < rounds; round++)
        {
            // Alternate which one goes first, so neither always runs in the other's wake.
            if (round % 2 == 0)
            {
                hand[round] = Measure(handWritten);
                generated[round] = Measure(generatedSwitch);
            }
            else
            {
                generated[round] = Measure(generatedSwitch);
                hand[round] = Measure(handWritten);
            }

            ratios[round] = generated[round] / hand[round];
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long messages = 2L * rounds * CallsPerSample * MessagesPerCall;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rounds={rounds} messages/sample={CallsPerSample * MessagesPerCall}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hand-written: median {Median(hand):F2} ns/msg, min {hand.Min():F2} ns/msg"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated:    median {Median(generated):F2} ns/msg, min {generated.Min():F2} ns/msg"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated/hand-written: median paired ratio {Median(ratios):F3} (interquartile {Quantile(ratios, 0.25):F3}..{Quantile(ratios, 0.75):F3}); ratio of minimums {generated.Min() / hand.Min():F3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated: {allocated} B over {messages} dispatches"));
    }

    private static double Measure(Func<long> batch)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < CallsPerSample; i++)
        {
            batch();
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / (CallsPerSample * MessagesPerCall);
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
