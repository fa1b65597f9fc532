using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Papyra.Persistence.Durability;

/// <summary>
/// File-system primitives shared by the file backends: opening with clear errors, fsync of files
/// and directories, and atomic replacement (temp file in the same directory, fsync, rename, fsync
/// the directory).
/// </summary>
internal static partial class StoreFiles
{
    private const int ReadOnlyDirectoryFlags = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1; // STATX_TYPE
    private const uint StatxMode = 0x2; // STATX_MODE
    private const uint StatxUid = 0x8;  // STATX_UID
    private const uint StatxGid = 0x10; // STATX_GID
    private const int FileTypeMask = 0xF000; // S_IFMT
    private const uint StatxIno = 0x100; // STATX_INO
    private const int AtEmptyPath = 0x1000;

    /// <summary>Opens a store file for reading; <see langword="null"/> when it does not exist (an empty store).</summary>
    /// <exception cref="IOException">The path names a directory, a FIFO, a device or a socket: only regular files are stores.</exception>
    public static SafeFileHandle? TryOpenForReading(string path)
    {
        ThrowIfNotRegularFile(path);
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The store file '{path}' cannot be read: permission denied.", e);
        }
    }

    /// <summary>Opens a file that must exist for reading.</summary>
    public static SafeFileHandle OpenForReading(string path)
        => TryOpenForReading(path) ?? throw new FileNotFoundException($"The store file '{path}' does not exist.", path);

    /// <summary>Throws a clear <see cref="IOException"/> when a store path names a directory.</summary>
    public static void ThrowIfDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"The store path '{path}' is a directory, not a file.");
        }
    }

    /// <summary>
    /// Throws a clear <see cref="IOException"/> when a store path exists but is not a regular file
    /// (a directory, FIFO, character or block device, or socket), before anything opens it: opening a
    /// FIFO blocks until a writer appears, and a device such as <c>/dev/zero</c> never ends.
    /// </summary>
    public static void ThrowIfNotRegularFile(string path)
    {
        ThrowIfDirectory(path);
        if (TryGetOwnership(path, out int mode, out _, out _) && (mode & FileTypeMask) is int type && type != 0x8000)
        {
            string what = type switch
            {
                0x1000 => "a FIFO (named pipe)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                _ => "not a regular file",
            };
            throw new IOException($"The store path '{path}' is {what}, not a regular file; only regular files can be stores.");
        }
    }

    /// <summary>
    /// Reads a file's type and permission bits (<c>st_mode</c>) and owner, following links;
    /// <see langword="false"/> where the file does not exist or the platform has no <c>statx</c>.
    /// </summary>
    public static bool TryGetOwnership(string path, out int mode, out uint uid, out uint gid)
    {
        mode = 0;
        uid = 0;
        gid = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, 0, StatxType | StatxMode | StatxUid | StatxGid, ref MemoryMarshal.GetReference(buffer));
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }

        if (result != 0)
        {
            return false;
        }

        // struct statx: stx_uid at 20, stx_gid at 24, stx_mode (u16) at 28, on every architecture.
        uid = MemoryMarshal.Read<uint>(buffer[20..]);
        gid = MemoryMarshal.Read<uint>(buffer[24..]);
        mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        return true;
    }

    /// <summary>
    /// The identity of an open file (device and inode), which survives renames: a rotated file keeps
    /// it, a rewritten one (compaction, repair) gets a new one. <see langword="false"/> where the
    /// platform has no <c>statx</c>.
    /// </summary>
    public static bool TryGetIdentity(SafeFileHandle handle, out ulong device, out ulong inode)
    {
        device = 0;
        inode = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[256];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (StatxFd((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxIno, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return false;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        // struct statx: stx_ino (u64) at 32, stx_dev_major/minor (u32) at 136/140.
        inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        return true;
    }

    /// <summary>
    /// Gives <paramref name="file"/> the permission bits and, where this process may, the owner of
    /// <paramref name="like"/> (a rewrite replacing a store, a sidecar beside it), so a service
    /// user keeps access and a private store stays private. Nothing happens when
    /// <paramref name="like"/> does not exist; an owner change the process is not allowed is skipped.
    /// </summary>
    public static void CopyOwnership(string like, string file)
    {
        if (!OperatingSystem.IsLinux() || !TryGetOwnership(like, out int mode, out uint uid, out uint gid))
        {
            return;
        }

        File.SetUnixFileMode(file, (UnixFileMode)(mode & 0xFFF));
        if (TryGetOwnership(file, out _, out uint fileUid, out uint fileGid) && (fileUid != uid || fileGid != gid))
        {
            _ = Chown(file, uid, gid);
        }
    }

    /// <summary>Makes a rename or a new directory entry durable (no-op where directories cannot be synced).</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        int fd = Open(directory, OperatingSystem.IsLinux() ? ReadOnlyDirectoryFlags : 0);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>The directory holding a store file.</summary>
    public static string DirectoryOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path)) ?? Path.GetPathRoot(Path.GetFullPath(path))!;

    /// <summary>A sidecar or quarantine name <c>&lt;name&gt;.&lt;suffix&gt;.&lt;epoch_ms&gt;</c> in <paramref name="directory"/> that does not exist yet.</summary>
    public static string UniqueTimestampedPath(string directory, string fileName, string suffix, TimeProvider timeProvider)
    {
        long ms = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            string candidate = Path.Combine(directory, $"{fileName}.{suffix}.{ms}");
            if (!File.Exists(candidate) && !Directory.Exists(candidate))
            {
                return candidate;
            }

            ms++;
        }
    }

    /// <summary>A temporary file name beside <paramref name="target"/> for an atomic rewrite.</summary>
    public static string TempPathFor(string target, string purpose)
        => Path.Combine(DirectoryOf(target), $"{Path.GetFileName(target)}.{purpose}.{Environment.ProcessId}.tmp");

    /// <summary>
    /// Whether <paramref name="suffix"/> (a file name after the store's own name) names a temp file of
    /// Papyra's rewrites, <c>[.N].rewrite.&lt;pid&gt;.tmp</c> or <c>[.N].rejected.&lt;pid&gt;.tmp</c>,
    /// and which process wrote it.
    /// </summary>
    public static bool IsRewriteTemp(ReadOnlySpan<char> suffix, out int pid)
    {
        pid = 0;
        if (!suffix.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = suffix[..^4];
        int dot = rest.LastIndexOf('.');
        if (dot < 0 || !int.TryParse(rest[(dot + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pid))
        {
            return false;
        }

        rest = rest[..dot];
        if (!rest.EndsWith(".rewrite", StringComparison.Ordinal) && !rest.EndsWith(".rejected", StringComparison.Ordinal))
        {
            return false;
        }

        rest = rest[..rest.LastIndexOf('.')];
        return rest.IsEmpty || (rest[0] == '.' && rest.Length > 1 && int.TryParse(rest[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    /// <summary>
    /// Deletes the temp files that a killed rewrite of the store <paramref name="storePath"/> (or of
    /// a rotated file <c>&lt;store&gt;.N</c>) left behind: a partial copy of a file whose original is
    /// still complete, or a partial sidecar whose lines are still in the store. Temps of a process
    /// that is still running (another process maintaining the store right now) are left alone.
    /// </summary>
    public static void DeleteStaleTemps(string storePath)
    {
        string directory = DirectoryOf(storePath);
        string name = Path.GetFileName(storePath);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(directory, name + ".*.tmp"))
        {
            if (IsRewriteTemp(Path.GetFileName(file).AsSpan(name.Length), out int pid) && !IsRunning(pid))
            {
                File.Delete(file);
            }
        }
    }

    private static bool IsRunning(int pid)
        => pid == Environment.ProcessId || (OperatingSystem.IsLinux() ? Directory.Exists($"/proc/{pid}") : pid > 0 && ProcessExists(pid));

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Renames a finished (already synced) temp file over <paramref name="target"/>, keeping the target's mode and owner, and syncs the directory.</summary>
    public static void CommitReplace(string temp, string target)
    {
        CopyOwnership(target, temp);
        File.Move(temp, target, overwrite: true);
        FsyncDirectory(DirectoryOf(target));
    }

    /// <summary>Creates a temp file for an atomic rewrite (buffered, sequential).</summary>
    public static FileStream CreateTemp(string temp)
        => new(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.SequentialScan);

    /// <summary>Copies a byte range of a file into a stream (used for lines too long to buffer).</summary>
    public static void CopyRange(SafeFileHandle source, long offset, long length, Stream destination)
    {
        byte[] buffer = new byte[(int)Math.Min(length, 1 << 20)];
        while (length > 0)
        {
            int read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length)), offset);
            if (read == 0)
            {
                break;
            }

            destination.Write(buffer, 0, read);
            offset += read;
            length -= read;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatxFd(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
