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

    /// <summary>Opens a store file for reading; <see langword="null"/> when it does not exist (an empty store).</summary>
    public static SafeFileHandle? TryOpenForReading(string path)
    {
        ThrowIfDirectory(path);
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

    /// <summary>Deletes temporary files a killed rewrite of <paramref name="target"/> may have left behind.</summary>
    public static void DeleteStaleTemps(string target, string purpose)
    {
        string directory = DirectoryOf(target);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string stale in Directory.EnumerateFiles(directory, $"{Path.GetFileName(target)}.{purpose}.*.tmp"))
        {
            File.Delete(stale);
        }
    }

    /// <summary>Flushes a finished temp file to disk, renames it over <paramref name="target"/> and syncs the directory.</summary>
    public static void CommitReplace(string temp, string target)
    {
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

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
