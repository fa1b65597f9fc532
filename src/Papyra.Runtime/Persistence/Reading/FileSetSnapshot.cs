using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Files;

namespace Papyra.Persistence.Reading;

/// <summary>
/// The data files of a store opened together, oldest first, each with its length when opened: what one
/// read walks (as often as it needs), whatever a writer appends or rotates meanwhile. The files are
/// opened one by one, so a rotation in between could move contents under names still to open (a full
/// set keeps the same names from one rotation to the next); the set is opened again until every name
/// still names the file opened by it (device and inode, where the platform gives them).
/// </summary>
internal sealed class FileSetSnapshot : IDisposable
{
    private const int Attempts = 10;

    private FileSetSnapshot(List<Member> files) => Files = files;

    /// <summary>The files, oldest first.</summary>
    public IReadOnlyList<Member> Files { get; }

    public static FileSetSnapshot Open(IFileSetLayout layout)
    {
        for (int attempt = 1; ; attempt++)
        {
            IReadOnlyList<string> names = layout.DataFilesOldestFirst();
            var files = new List<Member>(names.Count);
            try
            {
                foreach (string name in names)
                {
                    if (Member.TryOpen(name) is { } member)
                    {
                        files.Add(member);
                    }
                }
            }
            catch
            {
                files.ForEach(f => f.Dispose());
                throw;
            }

            var snapshot = new FileSetSnapshot(files);
            if (attempt == Attempts || snapshot.StillNamed(layout))
            {
                return snapshot;
            }

            snapshot.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (Member file in Files)
        {
            file.Dispose();
        }
    }

    private bool StillNamed(IFileSetLayout layout)
    {
        IReadOnlyList<string> now = layout.DataFilesOldestFirst();
        if (now.Count != Files.Count)
        {
            return false;
        }

        for (int i = 0; i < now.Count; i++)
        {
            if (!string.Equals(now[i], Files[i].Path, StringComparison.Ordinal))
            {
                return false;
            }

            using Member? again = Member.TryOpen(now[i]);
            if (again is null || again.Device != Files[i].Device || again.Inode != Files[i].Inode)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One open file of the set.</summary>
    /// <param name="Path">The name it was opened by.</param>
    /// <param name="Handle">The open file.</param>
    /// <param name="Length">Its length when opened: a read stops there.</param>
    /// <param name="Device">Its device (0 where the platform gives no identity).</param>
    /// <param name="Inode">Its inode (0 where the platform gives no identity).</param>
    internal sealed record Member(string Path, SafeFileHandle Handle, long Length, ulong Device, ulong Inode) : IDisposable
    {
        public static Member? TryOpen(string path)
        {
            SafeFileHandle? handle = StoreFiles.TryOpenForReading(path);
            if (handle is null)
            {
                return null;
            }

            _ = StoreFiles.TryGetIdentity(handle, out ulong device, out ulong inode);
            return new Member(path, handle, RandomAccess.GetLength(handle), device, inode);
        }

        public void Dispose() => Handle.Dispose();
    }
}
