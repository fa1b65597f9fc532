using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Redis.Codec;

namespace Papyra.Redis.Benchmarks.Baseline;

/// <summary>
/// The MessagePack entry of the benchmark record encoded by the backend's writer (MessagePack-CSharp's
/// <c>MessagePackWriter</c>) and by the hand-written encoder it replaced, in alternating rounds on one
/// thread (medians): what using the package costs per record, to weigh against the append's total.
/// </summary>
internal static class EncoderComparison
{
    private const int RecordsPerRound = 1_000_000;

    public static int Run(int rounds)
    {
        using var payload = JsonDocument.Parse("""{"reason":"normal","mailbox":"unbounded","restarts":0}""");
        var record = new PersistedEvent("backend", new ActorAddress("backend", 42), "ActorStarted", payload.RootElement, 1_764_000_000.125);
        if (!Package(record).SequenceEqual(HandWritten(record)))
        {
            throw new InvalidOperationException("The two encoders write different bytes.");
        }

        var package = new List<double>();
        var handWritten = new List<double>();
        for (int round = -5; round < rounds; round++)
        {
            bool packageFirst = round % 2 == 0;
            double first = Time(record, packageFirst);
            double second = Time(record, !packageFirst);
            if (round >= 0)
            {
                (packageFirst ? package : handWritten).Add(first);
                (packageFirst ? handWritten : package).Add(second);
            }
        }

        double p = Median(package);
        double h = Median(handWritten);
        Console.WriteLine($"MessagePack entry of the benchmark record, {rounds} alternating rounds x {RecordsPerRound:N0} (after 5 warm-up rounds), medians:");
        Console.WriteLine($"  MessagePackWriter (backend):  {p,7:F1} ns/record (rounds {string.Join(" ", package.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"  hand-written (replaced):      {h,7:F1} ns/record (rounds {string.Join(" ", handWritten.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"  difference: {p - h:F1} ns/record");
        return 0;
    }

    private static double Time(PersistedEvent record, bool package)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < RecordsPerRound; i++)
        {
            if (package)
            {
                EncodeBuffer buffer = EncodeBuffer.Rent();
                MessagePackRecordWriter.Write(buffer, record);
            }
            else
            {
                HandWrittenEncodeBuffer buffer = HandWrittenEncodeBuffer.Rent();
                HandWrittenMessagePackRecordWriter.Write(buffer, record);
            }
        }

        return clock.Elapsed.TotalNanoseconds / RecordsPerRound;
    }

    private static byte[] Package(PersistedEvent record)
    {
        EncodeBuffer buffer = EncodeBuffer.Rent();
        MessagePackRecordWriter.Write(buffer, record);
        return buffer.ToArray();
    }

    private static byte[] HandWritten(PersistedEvent record)
    {
        HandWrittenEncodeBuffer buffer = HandWrittenEncodeBuffer.Rent();
        HandWrittenMessagePackRecordWriter.Write(buffer, record);
        return buffer.ToArray();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
