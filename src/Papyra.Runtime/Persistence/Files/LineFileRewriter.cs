using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Scanning;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Files;

/// <summary>
/// Rewrites one NDJSON file atomically: kept valid lines are copied byte-for-byte (a valid last line
/// without newline gains one), damaged lines go to a sidecar <c>&lt;file&gt;.rejected.&lt;epoch_ms&gt;</c>
/// (raw bytes, each followed by <c>\n</c>), valid lines the caller drops (retention) are discarded.
/// The sidecar is written like the store: a temp file, fsync, rename to its final name, directory
/// fsync, before the file is replaced (temp + fsync + rename + directory fsync); both keep the
/// store's mode and owner. A sidecar therefore only ever exists complete, and a repair that was
/// killed after its sidecar was complete and is run again reuses that sidecar instead of writing a
/// second copy of the same lines. A killed rewrite leaves at most temp files, which the next
/// maintenance deletes (<see cref="StoreFiles.DeleteStaleTemps"/>) and scans do not report.
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
        string sidecarTemp = StoreFiles.TempPathFor(path, "rejected");
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
                    sidecar ??= new FileStream(sidecarTemp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);

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
                sidecarPath = FindIdenticalSidecar(path, sidecar);
                sidecar.Dispose();
                sidecar = null;
                if (sidecarPath is null)
                {
                    sidecarPath = StoreFiles.UniqueTimestampedPath(directory, Path.GetFileName(path), "rejected", timeProvider);
                    StoreFiles.CopyOwnership(path, sidecarTemp);
                    File.Move(sidecarTemp, sidecarPath, overwrite: false);
                }

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
            try
            {
                // Disposing flushes what is buffered, which fails again on a full disk.
                sidecar?.Dispose();
            }
            catch (IOException)
            {
            }

            if (!committed && sidecarPath is not null && !File.Exists(sidecarTemp))
            {
                // The original is untouched, so the rejected lines are still in it. A sidecar this
                // rewrite renamed into place is complete; it is kept only when an identical one existed.
                TryDelete(sidecarPath);
            }

            TryDelete(sidecarTemp);
            TryDelete(temp);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // A temp that cannot be deleted now is deleted by the next maintenance.
        }
    }

    // A sidecar of this file with exactly these bytes: what an earlier repair of the same damage
    // wrote before it was killed. Sidecars are small (damaged lines only); compared byte for byte.
    private static string? FindIdenticalSidecar(string path, FileStream written)
    {
        string directory = StoreFiles.DirectoryOf(path);
        string prefix = Path.GetFileName(path) + ".rejected.";
        foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            ReadOnlySpan<char> suffix = Path.GetFileName(candidate.AsSpan())[prefix.Length..];
            if (suffix.IsEmpty || suffix.ContainsAnyExceptInRange('0', '9') || new FileInfo(candidate).Length != written.Length)
            {
                continue;
            }

            written.Position = 0;
            using FileStream existing = File.OpenRead(candidate);
            if (SameContent(existing, written))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool SameContent(Stream a, Stream b)
    {
        byte[] left = new byte[1 << 16];
        byte[] right = new byte[1 << 16];
        while (true)
        {
            int read = a.ReadAtLeast(left, left.Length, throwOnEndOfStream: false);
            int other = b.ReadAtLeast(right, read == 0 ? 1 : read, throwOnEndOfStream: false);
            if (read != other || !left.AsSpan(0, read).SequenceEqual(right.AsSpan(0, other)))
            {
                return false;
            }

            if (read == 0)
            {
                return true;
            }
        }
    }
}
