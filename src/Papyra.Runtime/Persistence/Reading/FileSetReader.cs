using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Retention;
using Papyra.Persistence.Scanning;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Reading;

/// <summary>
/// Reads records of one kind from NDJSON files (oldest first), applying retention over every record
/// of the store (all kinds together) and then the query. Damaged lines are skipped and counted,
/// never fatal; a complete valid record on an unterminated last line is read. Both walks (retention,
/// then the query) read one <see cref="FileSetSnapshot"/>, so they see the same lines while a writer
/// appends or rotates.
/// </summary>
internal static class FileSetReader
{
    public static PersistenceReadResult<T> Read<T>(
        FileSetSnapshot files,
        PersistedRecordKind kind,
        RetentionPolicy retention,
        double now,
        PersistenceQuery? query,
        LineLimits limits,
        CancellationToken cancellationToken)
        where T : PersistedRecord
    {
        bool[]? keep = null;
        if (!retention.IsUnlimited)
        {
            var candidates = new List<RetentionCandidate>();
            ForEachLine(files, limits.MaxLineBytes, cancellationToken, (in NdjsonLine line, ReadOnlySpan<byte> bytes) =>
            {
                if (LineClassifier.Classify(line, bytes, limits.MaxDepth, out _, out double timestamp) == RecordLineProblem.None)
                {
                    candidates.Add(new RetentionCandidate(timestamp, line.Length + 1));
                }
            });
            keep = RetentionEvaluator.Evaluate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates), retention, now);
        }

        long skipped = 0;
        int index = 0;
        int? limit = query?.Limit;
        var window = new Queue<T>();
        ForEachLine(files, limits.MaxLineBytes, cancellationToken, (in NdjsonLine line, ReadOnlySpan<byte> bytes) =>
        {
            RecordLineProblem problem = LineClassifier.Classify(line, bytes, limits.MaxDepth, out PersistedRecordKind lineKind, out _);
            if (problem != RecordLineProblem.None)
            {
                skipped++;
                return;
            }

            bool kept = keep is null || keep[index];
            index++;
            if (!kept || lineKind != kind || !PersistedRecordReader.TryRead(bytes, limits.MaxDepth, out PersistedRecord? record, out _) || record is not T typed)
            {
                return;
            }

            if (!PersistenceQueryEvaluator.Matches(typed, query))
            {
                return;
            }

            if (limit is { } l && window.Count == l)
            {
                window.Dequeue();
            }

            window.Enqueue(typed);
        });

        return new PersistenceReadResult<T>([.. window], skipped);
    }

    /// <summary>A callback receiving one line and its bytes (empty for an over-long line).</summary>
    public delegate void LineAction(in NdjsonLine line, ReadOnlySpan<byte> bytes);

    public static void ForEachLine(FileSetSnapshot files, int maxLineBytes, CancellationToken cancellationToken, LineAction action)
    {
        foreach (FileSetSnapshot.Member file in files.Files)
        {
            using var reader = new NdjsonLineReader(file.Handle, maxLineBytes, endOffset: file.Length);
            ReadLines(reader, cancellationToken, action);
        }
    }

    public static void ForEachLine(IReadOnlyList<string> files, int maxLineBytes, CancellationToken cancellationToken, LineAction action)
    {
        foreach (string file in files)
        {
            using SafeFileHandle? handle = StoreFiles.TryOpenForReading(file);
            if (handle is null)
            {
                continue;
            }

            using var reader = new NdjsonLineReader(handle, maxLineBytes);
            ReadLines(reader, cancellationToken, action);
        }
    }

    private static void ReadLines(NdjsonLineReader reader, CancellationToken cancellationToken, LineAction action)
    {
        while (reader.TryReadLine(out NdjsonLine line))
        {
            if ((line.Number & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            action(line, reader.Current);
        }
    }
}
