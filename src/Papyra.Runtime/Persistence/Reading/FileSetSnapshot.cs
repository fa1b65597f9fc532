using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Files;

namespace Papyra.Persistence.Reading;

/// <summary>
/// The data files of a store opened together, oldest first, each with its length when opened: what one
/// read, scan or backup walks (as often as it needs), whatever a writer appends or rotates meanwhile. The
/// files are opened one by one, so a rotation in between could move contents under names still to open
/// (a full set keeps the same names from one rotation to the next); the set is opened again until every
/// name still names the file opened by it.
/// </summary>
internal sealed class FileSetSnapshot : IDisposable
{
    /// <summary>How often a set is opened again while it keeps rotating.</summary>
    public const int Attempts = 10;

    private FileSetSnapshot(List<Member> files, bool consistent)
    {
        Files = files;
        IsConsistent = consistent;
    }

    /// <summary>The files, oldest first.</summary>
    public IReadOnlyList<Member> Files { get; }

    /// <summary>
    /// Whether every name still named the file opened by it once all were open; false when the set kept
    /// rotating through every attempt (the last attempt's files are kept: a read takes them as they are).
    /// </summary>
    public bool IsConsistent { get; }

    /// <summary>The files of a store's layout.</summary>
    public static FileSetSnapshot Open(IFileSetLayout layout) => Open(layout.DataFilesOldestFirst);

    /// <summary>The files <paramref name="list"/> names (oldest first), listed again after opening them.</summary>
    public static FileSetSnapshot Open(Func<IReadOnlyList<string>> list)
    {
        for (int attempt = 1; ; attempt++)
        {
            IReadOnlyList<string> names = list();
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

            bool consistent = StillNamed(files, list());
            if (consistent || attempt == Attempts)
            {
                return new FileSetSnapshot(files, consistent);
            }

            files.ForEach(f => f.Dispose());
        }
    }

    public void Dispose()
    {
        foreach (Member file in Files)
        {
            file.Dispose();
        }
    }

    private static bool StillNamed(List<Member> files, IReadOnlyList<string> now)
    {
        if (now.Count != files.Count)
        {
            return false;
        }

        for (int i = 0; i < now.Count; i++)
        {
            if (!string.Equals(now[i], files[i].Path, StringComparison.Ordinal))
            {
                return false;
            }

            using Member? again = Member.TryOpen(now[i]);
            if (again is null || !files[i].IsSameFile(again, growing: i == now.Count - 1))
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
        private bool HasIdentity => Device != 0 || Inode != 0;

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

        /// <summary>
        /// Whether <paramref name="other"/> is this file: by device and inode where the platform gives them;
        /// elsewhere by length and last write time (for the newest file, still appended to, only that it did
        /// not shrink: a rotation starts a new, shorter one).
        /// </summary>
        public bool IsSameFile(Member other, bool growing)
        {
            if (HasIdentity && other.HasIdentity)
            {
                return Device == other.Device && Inode == other.Inode;
            }

            return growing
                ? other.Length >= RandomAccess.GetLength(Handle)
                : other.Length == Length && File.GetLastWriteTimeUtc(other.Handle) == File.GetLastWriteTimeUtc(Handle);
        }

        public void Dispose() => Handle.Dispose();
    }
}
