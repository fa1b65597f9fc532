using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Scanning;

/// <summary>Scans one NDJSON file read-only and streaming: memory is bounded by the maximum line length.</summary>
internal static class LineFileScanner
{
    /// <summary>What a scan of one file found besides its anomalies.</summary>
    public readonly record struct Totals(long Records, long Bytes);

    public static Totals Scan(string path, LineLimits limits, AnomalyCollector anomalies, CancellationToken cancellationToken)
    {
        using SafeFileHandle? handle = StoreFiles.TryOpenForReading(path);
        if (handle is null)
        {
            return default;
        }

        using var reader = new NdjsonLineReader(handle, limits.MaxLineBytes);
        long records = 0;
        while (reader.TryReadLine(out NdjsonLine line))
        {
            if ((line.Number & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            RecordLineProblem problem = LineClassifier.Classify(line, reader.Current, limits.MaxDepth);
            if (LineClassifier.AnomalyFor(path, line, problem, limits) is { } anomaly)
            {
                anomalies.Add(anomaly);
            }
            else
            {
                records++;
            }
        }

        return new Totals(records, reader.Position);
    }
}
