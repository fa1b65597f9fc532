using System.Globalization;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Scanning;

/// <summary>Applies SPEC §7.1 "Record validity" to one physical line.</summary>
internal static class LineClassifier
{
    /// <summary>Classifies a line; <see cref="RecordLineProblem.None"/> means a valid record (possibly without its newline).</summary>
    public static RecordLineProblem Classify(in NdjsonLine line, ReadOnlySpan<byte> bytes, int maxDepth, out PersistedRecordKind kind, out double timestamp)
    {
        if (line.IsOverLong)
        {
            kind = default;
            timestamp = 0;
            return RecordLineProblem.TooLong;
        }

        return PersistedRecordReader.Validate(bytes, out kind, out timestamp, wantTimestamp: true, knownAscii: line.IsAscii, maxDepth);
    }

    /// <summary>Classifies a line when only its validity matters (scan, repair): the timestamp is checked, not parsed.</summary>
    public static RecordLineProblem Classify(in NdjsonLine line, ReadOnlySpan<byte> bytes, int maxDepth)
        => line.IsOverLong ? RecordLineProblem.TooLong : PersistedRecordReader.Validate(bytes, out _, out _, wantTimestamp: false, line.IsAscii, maxDepth);

    /// <summary>The anomaly a scan reports for a line, or <see langword="null"/> when the line is a healthy record.</summary>
    public static PersistenceAnomaly? AnomalyFor(string path, in NdjsonLine line, RecordLineProblem problem, LineLimits limits)
    {
        if (line.HasNewline && problem == RecordLineProblem.None)
        {
            return null;
        }

        string number = line.Number.ToString(CultureInfo.InvariantCulture);
        if (!line.HasNewline)
        {
            string what = problem == RecordLineProblem.None ? "is a complete record" : PersistedRecordReader.Describe(problem);
            return new PersistenceAnomaly(
                PersistenceAnomalyType.TruncatedLine, path, line.Number, line.Offset,
                $"Line {number} has no terminating newline (an interrupted write; the partial line {what}).");
        }

        string detail = problem switch
        {
            RecordLineProblem.TooLong => $"Line {number} is {line.Length.ToString(CultureInfo.InvariantCulture)} bytes, longer than the {limits.MaxLineBytes.ToString(CultureInfo.InvariantCulture)}-byte limit (MaxLineBytes).",
            RecordLineProblem.TooDeep => $"Line {number} nests JSON deeper than the {limits.MaxDepth.ToString(CultureInfo.InvariantCulture)}-level limit (MaxNestingDepth).",
            _ => $"Line {number} {PersistedRecordReader.Describe(problem)}.",
        };
        return new PersistenceAnomaly(PersistedRecordReader.AnomalyTypeOf(problem), path, line.Number, line.Offset, detail);
    }
}
