using System.Formats.Tar;
using System.IO.Compression;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// Writes an archive: a gzip-compressed POSIX (pax) tar holding the snapshot's members under
/// <c>store/</c>, then <c>manifest.json</c> with their SHA-256 (computed while they are written:
/// every byte is read once). Streaming: memory does not grow with the store.
/// </summary>
internal static class BackupArchiveWriter
{
    private const UnixFileMode MemberMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>What the manifest says besides the members and counts.</summary>
    public sealed record Header(string Backend, string? Source, string? SystemId, DateTimeOffset CreatedAt, long SkippedRecords);

    public static BackupManifest Write(Stream archive, IReadOnlyList<SnapshotMember> members, Header header, CompressionLevel level, Action<long> progress, CancellationToken cancellationToken)
    {
        var written = new List<BackupMember>(members.Count);
        var total = new LineTally();
        BackupManifest manifest;
        using (var gzip = new GZipStream(archive, level, leaveOpen: true))
        {
            using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (SnapshotMember member in members)
                {
                    var tally = new LineTally();
                    using (var source = new MemberSourceStream(member, tally, progress, cancellationToken))
                    {
                        tar.WriteEntry(Entry(member.Name, source, header.CreatedAt));
                        written.Add(new BackupMember(member.Name, member.Length, source.Sha256Hex, tally.Records, tally.Damaged));
                    }

                    total.Add(tally);
                }

                string? lastSystem = total.LastSystemId();
                string[] systems = [.. new[] { total.FirstSystemId, lastSystem, header.SystemId }.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                manifest = new BackupManifest
                {
                    Backend = header.Backend,
                    Source = header.Source,
                    SystemId = header.SystemId ?? (systems.Length == 1 ? systems[0] : null),
                    SystemIds = systems,
                    Events = total.Events,
                    Audits = total.Audits,
                    DeadLetters = total.DeadLetters,
                    DamagedLines = total.Damaged + header.SkippedRecords,
                    FirstTimestamp = total.FirstTimestamp,
                    LastTimestamp = total.LastTimestamp,
                    CreatedAt = header.CreatedAt,
                    ToolVersion = BackupManifest.ToolVersionOfThisBuild,
                    Members = written,
                };
                using var manifestData = new MemoryStream(manifest.ToBytes());
                tar.WriteEntry(Entry(BackupManifest.FileName, manifestData, header.CreatedAt));
            }
        }

        return manifest;
    }

    private static PaxTarEntry Entry(string name, Stream data, DateTimeOffset time) => new(TarEntryType.RegularFile, name)
    {
        DataStream = data,
        Mode = MemberMode,
        ModificationTime = time,
    };
}
