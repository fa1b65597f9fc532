using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// How archives and restored files reach their final name: written to a temp name in the same
/// directory (<c>&lt;final&gt;.partial.&lt;pid&gt;</c>), fsynced, renamed, and the directory fsynced,
/// so a killed process never leaves a partial file under the final name.
/// </summary>
internal static partial class ArchiveFiles
{
    private const string PartialMarker = ".partial.";

    /// <summary>The temp name this process writes <paramref name="final"/> under.</summary>
    public static string PartialPathFor(string final)
        => final + PartialMarker + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Creates the temp file (refusing to reuse one), sequential and unshared.</summary>
    public static FileStream CreatePartial(string partial)
        => new(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    /// <summary>Deletes the temp files a killed run left beside <paramref name="final"/> (only those of processes no longer running).</summary>
    public static void DeleteStalePartials(string final)
    {
        string? directory = Path.GetDirectoryName(final);
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        string prefix = Path.GetFileName(final) + PartialMarker;
        foreach (string file in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            string rest = Path.GetFileName(file)[prefix.Length..];
            int dot = rest.IndexOf('.', StringComparison.Ordinal);
            string pidText = dot < 0 ? rest : rest[..dot];
            if (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                TryDelete(file);
            }
        }
    }

    /// <summary>The staging directory a restore extracts into, beside the target (same file system, so the final moves are renames).</summary>
    public static string RestoreStagingFor(string parent)
        => Path.Combine(parent, $"{RestoreStagingPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}");

    /// <summary>Deletes the staging directories killed restores left in <paramref name="parent"/> (only those of processes no longer running).</summary>
    public static void DeleteStaleRestores(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (string directory in Directory.EnumerateDirectories(parent, RestoreStagingPrefix + "*"))
        {
            string rest = Path.GetFileName(directory)[RestoreStagingPrefix.Length..];
            int dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Left for the next restore.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private const string RestoreStagingPrefix = ".papyra-restore.";

    /// <summary>Makes <paramref name="stream"/>'s bytes durable, closes it and renames <paramref name="partial"/> to <paramref name="final"/>, then fsyncs the directory.</summary>
    public static void Commit(FileStream stream, string partial, string final, bool overwrite)
    {
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(partial, final, overwrite);
        FsyncDirectory(Path.GetDirectoryName(final) ?? ".");
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a temp file that cannot be removed is reported by nothing and removed by the next run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>fsync of a directory, so a rename in it survives a power loss (no-op where unsupported).</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        int fd = Open(directory, 0);
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

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
