using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Scanning;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Files;

/// <summary>
/// Rewrites one NDJSON file atomically: kept valid lines are copied byte-for-byte (a valid last line
/// without newline gains one), damaged lines go to a sidecar <c>&lt;file&gt;.rejected.&lt;epoch_ms&gt;</c>
/// (raw bytes, each followed by <c>\n</c>), valid lines the caller drops (retention) are discarded.
/// The sidecar is durable before the file is replaced; the replacement is temp + fsync + rename +
/// directory fsync, and no temp file is left behind.
/// </summary>
internal static class LineFileRewriter
{
    /// <summary>What a rewrite did.</summary>
    public sealed record Outcome(long ValidRecords, long KeptRecords, long RejectedLines, long BytesAfter, string? Sidecar, bool Deleted);

    /// <param name="path">The file.</param>
    /// <param name="limits">The maximum line length and nesting depth.</param>
    /// <param name="keepValid">Decides for the n-th valid record of this file (0-based) whether it survives; <see langword="null"/> keeps all.</param>
    /// <param name="deleteWhenEmpty">Delete the file rather than leave it empty when nothing survives.</param>
    /// <param name="timeProvider">Names the sidecar.</param>
    /// <param name="cancellationToken">Cancels before the file is replaced.</param>
    public static Outcome Rewrite(string path, LineLimits limits, Func<long, bool>? keepValid, bool deleteWhenEmpty, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        string directory = StoreFiles.DirectoryOf(path);
        string temp = StoreFiles.TempPathFor(path, "rewrite");
        string? sidecarPath = null;
        FileStream? sidecar = null;
        long valid = 0;
        long kept = 0;
        long rejected = 0;
        long bytesAfter;
        bool committed = false;
        try
        {
            using (SafeFileHandle source = StoreFiles.OpenForReading(path))
            using (var reader = new NdjsonLineReader(source, limits.MaxLineBytes))
            using (FileStream output = StoreFiles.CreateTemp(temp))
            {
                while (reader.TryReadLine(out NdjsonLine line))
                {
                    if ((line.Number & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    ReadOnlySpan<byte> bytes = reader.Current;
                    if (LineClassifier.Classify(line, bytes, limits.MaxDepth) == RecordLineProblem.None)
                    {
                        if (keepValid is null || keepValid(valid))
                        {
                            output.Write(bytes);
                            output.WriteByte((byte)'\n');
                            kept++;
                        }

                        valid++;
                        continue;
                    }

                    rejected++;
                    if (sidecar is null)
                    {
                        sidecarPath = StoreFiles.UniqueTimestampedPath(directory, Path.GetFileName(path), "rejected", timeProvider);
                        sidecar = new FileStream(sidecarPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
                    }

                    if (line.IsOverLong)
                    {
                        StoreFiles.CopyRange(source, line.Offset, line.Length, sidecar);
                    }
                    else
                    {
                        sidecar.Write(bytes);
                    }

                    sidecar.WriteByte((byte)'\n');
                }

                cancellationToken.ThrowIfCancellationRequested();
                output.Flush(flushToDisk: true);
                bytesAfter = output.Length;
            }

            if (sidecar is not null)
            {
                sidecar.Flush(flushToDisk: true);
                sidecar.Dispose();
                sidecar = null;
                StoreFiles.FsyncDirectory(directory);
            }

            if (kept == 0 && deleteWhenEmpty)
            {
                File.Delete(temp);
                File.Delete(path);
                StoreFiles.FsyncDirectory(directory);
                committed = true;
                return new Outcome(valid, kept, rejected, 0, sidecarPath, Deleted: true);
            }

            StoreFiles.CommitReplace(temp, path);
            committed = true;
            return new Outcome(valid, kept, rejected, bytesAfter, sidecarPath, Deleted: false);
        }
        finally
        {
            sidecar?.Dispose();
            if (!committed && sidecarPath is not null)
            {
                // The original is untouched, so the rejected lines are still in it: no half sidecar.
                File.Delete(sidecarPath);
            }

            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
