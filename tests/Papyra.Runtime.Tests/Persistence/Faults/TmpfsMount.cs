using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Persistence.Faults;

/// <summary>
/// A real, small file system for disk-full tests: a tmpfs of a given size mounted on a fresh
/// temporary directory (needs root, as CI and the developer machines run), unmounted afterwards.
/// A ballast file fills it so a store write runs out of space part-way.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(int sizeKiB)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("papyra-tmpfs-").FullName;
        (int code, _, string error) = Command.Run("mount", "-t", "tmpfs", "-o", $"size={sizeKiB}k", "tmpfs", Directory);
        if (code != 0)
        {
            System.IO.Directory.Delete(Directory);
            throw new InvalidOperationException(
                $"The disk-full tests mount a small tmpfs and need root (CAP_SYS_ADMIN); mount failed with exit code {code}: {error.Trim()}");
        }
    }

    public string Directory { get; }

    public string Ballast => Path.Combine(Directory, "ballast");

    /// <summary>Fills the file system up to <paramref name="freeBytes"/> (about: tmpfs counts pages) with the ballast file.</summary>
    public void Fill(long freeBytes)
    {
        var drive = new DriveInfo(Directory);
        long size = Math.Max(0, drive.AvailableFreeSpace - freeBytes);
        using var stream = new FileStream(Ballast, FileMode.Create, FileAccess.Write);
        byte[] block = new byte[4096];
        Array.Fill(block, (byte)'b');
        for (long written = 0; written < size; written += block.Length)
        {
            stream.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }
    }

    /// <summary>Frees the space the ballast took.</summary>
    public void Free() => File.Delete(Ballast);

    public void Dispose()
    {
        _ = Command.Run("umount", "-l", Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
