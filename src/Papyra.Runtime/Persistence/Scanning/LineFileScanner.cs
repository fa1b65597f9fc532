using Papyra.Persistence.Reading;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Scanning;

/// <summary>Scans one NDJSON file read-only and streaming: memory is bounded by the maximum line length.</summary>
internal static class LineFileScanner
{
    /// <summary>What a scan of one file found besides its anomalies.</summary>
    public readonly record struct Totals(long Records, long Bytes);

    /// <summary>Scans one file of a <see cref="FileSetSnapshot"/>, up to the length it had when opened.</summary>
    public static Totals Scan(FileSetSnapshot.Member file, LineLimits limits, AnomalyCollector anomalies, CancellationToken cancellationToken)
    {
        string path = file.Path;
        using var reader = new NdjsonLineReader(file.Handle, limits.MaxLineBytes, endOffset: file.Length);
        // Lines of the writer's layout are validated by matching their fixed bytes (only the payload
        // goes through a JSON reader), every other line by the general validator: the verdict is the
        // general validator's either way (StoredLineReader's tests, ScanVerdictTests). A JSON reader
        // over every whole line held the scan at 86-89 % of a plain Utf8JsonReader pass.
        var lines = new StoredLineReader(limits.MaxDepth);
        long records = 0;
        while (reader.TryReadLine(out NdjsonLine line))
        {
            if ((line.Number & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            RecordLineProblem problem = line.IsOverLong ? RecordLineProblem.TooLong : lines.Parse(reader.Current, line.IsAscii, out _);
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
