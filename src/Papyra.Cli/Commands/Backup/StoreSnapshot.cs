using System.Buffers;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Papyra.Persistence;
using Papyra.Persistence.Reading;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Serialization;
using StackExchange.Redis;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// Captures what a backup copies, without pausing writers. JSON lines: the file's length when the
/// backup starts, cut back to its last complete line. Rotating: every file of the set, oldest first,
/// opened together (rotated files are complete; the active file is cut like a JSON store). Redis: the
/// record stream read in pages through the streaming read up to the newest entry that existed when
/// the backup started, spooled to a temp file as NDJSON.
/// </summary>
internal static class StoreSnapshot
{
    private const int TailBlock = 64 << 10;
    private const int RotatingAttempts = FileSetSnapshot.Attempts;

    /// <summary>The JSON-lines store at <paramref name="path"/>: no member when the store does not exist (an empty store).</summary>
    public static IReadOnlyList<SnapshotMember> CaptureJson(string path)
    {
        ThrowIfDirectory(path);
        SafeFileHandle? handle = TryOpen(path);
        return handle is null ? [] : [Active(BackupManifest.StoreDirectory + Path.GetFileName(path), handle, RandomAccess.GetLength(handle))];
    }

    /// <summary>
    /// The rotating set based at <paramref name="path"/>: <c>&lt;path&gt;.N</c> (highest N, the oldest, first) then
    /// <c>&lt;path&gt;</c>, opened together (<see cref="FileSetSnapshot"/>: opened again while a rotation moves
    /// files under their names); the active file is cut at its last complete line.
    /// </summary>
    public static IReadOnlyList<SnapshotMember> CaptureRotating(string path)
    {
        ThrowIfDirectory(path);

        // The handles pass to the members, which dispose them: the snapshot itself is not disposed.
        FileSetSnapshot set = FileSetSnapshot.Open(() => SetFiles(path));
        if (!set.IsConsistent)
        {
            set.Dispose();
            throw new IOException($"The rotating set '{path}' kept rotating while the backup started ({RotatingAttempts.ToString(CultureInfo.InvariantCulture)} attempts); run the backup again.");
        }

        return [.. set.Files.Select(file =>
        {
            string name = BackupManifest.StoreDirectory + Path.GetFileName(file.Path);
            return file.Path == path ? Active(name, file.Handle, file.Length) : new SnapshotMember(name, file.Handle, file.Length);
        })];
    }

    /// <summary>
    /// Spools one system's Redis record stream to <paramref name="spoolPath"/> as NDJSON, oldest first, up to the
    /// newest entry when the backup started; entries that do not decode are skipped and counted.
    /// </summary>
    public static async Task<(SnapshotMember? Member, long Skipped)> CaptureRedisAsync(RedisStreamsPersistenceBackend backend, string spoolPath, CancellationToken cancellationToken)
    {
        StreamEntry[] newest = await backend.Connection.GetDatabase()
            .StreamRangeAsync(backend.Keys.Records, "-", "+", 1, Order.Descending)
            .ConfigureAwait(false);
        if (newest.Length == 0)
        {
            return (null, 0);
        }

        (ulong Ms, ulong Seq) last = EntryId((string)newest[0].Id!);
        var statistics = new PersistenceReadStatistics();
        var request = new PersistenceReadRequest { Statistics = statistics };
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        await using (var spool = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            await foreach (StoredRecord stored in backend.ReadAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (EntryId(stored.Position.Value).CompareTo(last) > 0)
                {
                    break;
                }

                PersistedRecordSerializer.WriteLine(buffer, stored.Record);
                if (buffer.WrittenCount >= 1 << 16)
                {
                    await spool.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    buffer.ResetWrittenCount();
                }
            }

            await spool.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            spool.Flush(flushToDisk: true);
        }

        SafeFileHandle handle = File.OpenHandle(spoolPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return (new SnapshotMember(BackupManifest.StoreDirectory + RedisMemberName, handle, RandomAccess.GetLength(handle), spoolPath), statistics.SkippedRecords);
    }

    /// <summary>The member a Redis archive holds: the records as NDJSON, the JSON-lines format.</summary>
    public const string RedisMemberName = "records.ndjson";

    /// <summary>The files of a rotating set, oldest first: <c>&lt;path&gt;.N</c> by descending N, then <c>&lt;path&gt;</c> when it exists.</summary>
    public static List<string> SetFiles(string path)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        string name = Path.GetFileName(path);
        var rotated = new List<(int N, string File)>();
        if (Directory.Exists(directory))
        {
            foreach (string file in Directory.EnumerateFiles(directory, name + ".*"))
            {
                string fileName = Path.GetFileName(file);
                if (fileName.Length <= name.Length + 1 || fileName[name.Length] != '.')
                {
                    continue; // the pattern "<name>.*" also matches <name> itself
                }

                if (RotationIndex(fileName, name) is > 0 and int n)
                {
                    rotated.Add((n, file));
                }
            }
        }

        List<string> files = [.. rotated.OrderByDescending(r => r.N).Select(r => r.File)];
        if (File.Exists(path))
        {
            files.Add(path);
        }

        return files;
    }

    /// <summary>
    /// N when <paramref name="fileName"/> is <c>&lt;baseName&gt;.N</c> with N ≥ 1 written as the rotating
    /// backend writes it (no sign, no leading zero); otherwise 0.
    /// </summary>
    public static int RotationIndex(string fileName, string baseName)
        => fileName.Length > baseName.Length + 1 && fileName[baseName.Length] == '.' && fileName.StartsWith(baseName, StringComparison.Ordinal)
            && int.TryParse(fileName.AsSpan(baseName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            && fileName.AsSpan(baseName.Length + 1).SequenceEqual(n.ToString(CultureInfo.InvariantCulture))
            ? n
            : 0;

    private static SnapshotMember Active(string name, SafeFileHandle handle, long length)
        => new(name, handle, CompleteLinesEnd(handle, length));

    /// <summary>The end of the last complete line (<c>\n</c>) within the first <paramref name="length"/> bytes: a line being appended is not copied.</summary>
    private static long CompleteLinesEnd(SafeFileHandle handle, long length)
    {
        byte[] block = ArrayPool<byte>.Shared.Rent(TailBlock);
        try
        {
            long end = length;
            while (end > 0)
            {
                int size = (int)Math.Min(TailBlock, end);
                int read = RandomAccess.Read(handle, block.AsSpan(0, size), end - size);
                int newline = block.AsSpan(0, read).LastIndexOf((byte)'\n');
                if (newline >= 0)
                {
                    return end - size + newline + 1;
                }

                end -= size;
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static SafeFileHandle? TryOpen(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void ThrowIfDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"The store path '{path}' is a directory, not a file.");
        }
    }

    private static (ulong Ms, ulong Seq) EntryId(string id)
    {
        int dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out ulong ms)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seq)
            ? (ms, seq)
            : throw new FormatException($"Redis returned an entry id '{id}' that is not <ms>-<seq>.");
    }
}
