using Microsoft.Win32.SafeHandles;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// One file of a store as it was when the backup started: an open handle (renames and rewrites by
/// the writer do not move it) and the length to copy. A spool file (Redis) is deleted when disposed.
/// </summary>
internal sealed class SnapshotMember(string name, SafeFileHandle handle, long length, string? spoolPath = null) : IDisposable
{
    /// <summary>The member's name in the archive (<c>store/&lt;file&gt;</c>).</summary>
    public string Name { get; } = name;

    public SafeFileHandle Handle { get; } = handle;

    /// <summary>How many bytes of the file belong to the backup.</summary>
    public long Length { get; } = length;

    public void Dispose()
    {
        Handle.Dispose();
        if (spoolPath is not null)
        {
            ArchiveFiles.TryDelete(spoolPath);
        }
    }
}
