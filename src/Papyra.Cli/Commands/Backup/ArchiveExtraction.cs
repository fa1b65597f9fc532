using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// Reads an archive once, streaming: each <c>store/</c> member is written to a directory while its
/// SHA-256 is computed, the manifest is read, and everything is checked against the manifest. Damage
/// (a flipped byte, a truncated file, a missing or extra member) becomes anomalies naming the member,
/// never an exception.
/// </summary>
internal sealed class ArchiveExtraction
{
    private ArchiveExtraction(BackupManifest? manifest, IReadOnlyList<(VerifiedMember Member, string File)> members, IReadOnlyList<ArchiveAnomaly> anomalies)
    {
        Manifest = manifest;
        Members = members;
        Anomalies = anomalies;
    }

    public BackupManifest? Manifest { get; }

    /// <summary>The store members in archive order (oldest file first) and where each was written.</summary>
    public IReadOnlyList<(VerifiedMember Member, string File)> Members { get; }

    public IReadOnlyList<ArchiveAnomaly> Anomalies { get; }

    /// <summary>
    /// Opens <paramref name="archive"/> (an unreadable or missing file is an I/O error) and reads it, extracting the
    /// store's files into <paramref name="directory"/> (or only checking them when it is <see langword="null"/>);
    /// with <paramref name="checkLines"/> every line is also checked as a scan checks it (verify; a restore copies bytes).
    /// </summary>
    public static ArchiveExtraction Extract(string archive, string? directory, bool checkLines, Action<long> progress, CancellationToken cancellationToken)
    {
        if (Directory.Exists(archive))
        {
            throw new IOException($"The archive '{archive}' is a directory, not a file.");
        }

        if (!File.Exists(archive))
        {
            throw new IOException($"The archive '{archive}' does not exist.");
        }

        using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Extract(file, directory, checkLines, progress, cancellationToken);
    }

    private static ArchiveExtraction Extract(FileStream file, string? directory, bool checkLines, Action<long> progress, CancellationToken cancellationToken)
    {
        var anomalies = new List<ArchiveAnomaly>();
        var members = new List<(VerifiedMember Member, string File)>();
        BackupManifest? manifest = null;
        bool manifestSeen = false;
        string? current = null;
        string? previous = null;
        long reported = 0;
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            using var tar = new TarReader(gzip, leaveOpen: false);
            while (tar.GetNextEntry() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                current = entry.Name;
                if (entry.EntryType is TarEntryType.Directory)
                {
                    previous = current;
                    current = null;
                    continue;
                }

                if (entry.Name == BackupManifest.FileName)
                {
                    manifestSeen = true;
                    manifest = ReadManifest(entry, anomalies);
                }
                else if (StoreFileName(entry.Name) is { } name && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    string? target = directory is null ? null : Path.Combine(directory, name);
                    using var sink = new MemberSink(checkLines ? new LineTally(entry.Name) : null, target);
                    if (entry.DataStream is { } data)
                    {
                        while (true)
                        {
                            byte[] chunk = ArrayPool<byte>.Shared.Rent(MemberSink.ChunkBytes);
                            int read = data.ReadAtLeast(chunk.AsSpan(0, MemberSink.ChunkBytes), MemberSink.ChunkBytes, throwOnEndOfStream: false);
                            if (read == 0)
                            {
                                ArrayPool<byte>.Shared.Return(chunk);
                                break;
                            }

                            sink.Add(chunk, read);
                            if (file.Position - reported >= 1 << 20)
                            {
                                progress(file.Position - reported);
                                reported = file.Position;
                            }
                        }
                    }

                    (long bytes, string sha256) = sink.Complete();
                    if (bytes != entry.Length)
                    {
                        anomalies.Add(new ArchiveAnomaly("UnreadableArchive", entry.Name, $"The archive ends inside member {entry.Name}: {bytes} of its {entry.Length} bytes are there (the compressed data is damaged or cut short)."));
                    }

                    members.Add((new VerifiedMember(entry.Name, bytes, sha256, null) { Tally = sink.Tally }, target ?? name));
                }
                else
                {
                    anomalies.Add(new ArchiveAnomaly("UnexpectedMember", entry.Name, $"The archive holds '{entry.Name}', which is neither {BackupManifest.FileName} nor a file under {BackupManifest.StoreDirectory}; it was not extracted."));
                }

                previous = current;
                current = null;
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException or IOException or ArgumentException or OverflowException)
        {
            string where = current is not null
                ? $"while reading member {current}"
                : previous is not null ? $"after member {previous}" : "at its start";
            anomalies.Add(new ArchiveAnomaly("UnreadableArchive", current ?? previous, $"The archive is damaged {where}: {exception.Message.TrimEnd('.')}."));
        }

        progress(Math.Max(0, file.Position - reported));
        if (manifest is null && !manifestSeen)
        {
            anomalies.Add(new ArchiveAnomaly("MissingManifest", BackupManifest.FileName, $"The archive has no {BackupManifest.FileName} (it is not a papyra backup, or it was cut short)."));
        }

        return new ArchiveExtraction(manifest, Check(manifest, members, anomalies), anomalies);
    }

    /// <summary>The file name a <c>store/&lt;name&gt;</c> member is extracted as; <see langword="null"/> for anything else (or a path that would leave the directory).</summary>
    public static string? StoreFileName(string memberName)
    {
        if (!memberName.StartsWith(BackupManifest.StoreDirectory, StringComparison.Ordinal))
        {
            return null;
        }

        string name = memberName[BackupManifest.StoreDirectory.Length..];
        return name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            ? null
            : name;
    }

    private static BackupManifest? ReadManifest(TarEntry entry, List<ArchiveAnomaly> anomalies)
    {
        if (entry.Length > BackupManifest.MaxBytes || entry.DataStream is null)
        {
            anomalies.Add(new ArchiveAnomaly("InvalidManifest", BackupManifest.FileName, $"{BackupManifest.FileName} is {entry.Length} bytes, not a manifest (at most {BackupManifest.MaxBytes})."));
            return null;
        }

        using var copy = new MemoryStream();
        entry.DataStream.CopyTo(copy);
        try
        {
            return BackupManifest.Parse(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        }
        catch (FormatException exception)
        {
            anomalies.Add(new ArchiveAnomaly("InvalidManifest", BackupManifest.FileName, exception.Message));
            return null;
        }
    }

    private static List<(VerifiedMember Member, string File)> Check(BackupManifest? manifest, List<(VerifiedMember Member, string File)> members, List<ArchiveAnomaly> anomalies)
    {
        if (manifest is null)
        {
            // Nothing to check the members against: each is named, so the operator knows what is unverified.
            foreach ((VerifiedMember member, string _) in members)
            {
                anomalies.Add(new ArchiveAnomaly("UnverifiedMember", member.Name, $"{member.Name} cannot be checked: the archive has no readable {BackupManifest.FileName} to give its SHA-256."));
            }

            return members;
        }

        var expected = manifest.Members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var checkedMembers = new List<(VerifiedMember Member, string File)>(members.Count);
        foreach ((VerifiedMember member, string file) in members)
        {
            if (!expected.Remove(member.Name, out BackupMember? listed))
            {
                anomalies.Add(new ArchiveAnomaly("UnexpectedMember", member.Name, $"{member.Name} is in the archive but not in {BackupManifest.FileName}."));
                checkedMembers.Add((member, file));
                continue;
            }

            VerifiedMember withExpected = member with { ExpectedSha256 = listed.Sha256 };
            if (member.Bytes != listed.Bytes)
            {
                anomalies.Add(new ArchiveAnomaly("SizeMismatch", member.Name, $"{member.Name} holds {member.Bytes} bytes; {BackupManifest.FileName} says {listed.Bytes}."));
            }
            else if (!withExpected.Ok)
            {
                anomalies.Add(new ArchiveAnomaly("ChecksumMismatch", member.Name, $"{member.Name} has SHA-256 {member.Sha256}; {BackupManifest.FileName} says {listed.Sha256}."));
            }

            checkedMembers.Add((withExpected, file));
        }

        foreach (BackupMember missing in expected.Values)
        {
            anomalies.Add(new ArchiveAnomaly("MissingMember", missing.Name, $"{missing.Name} is listed in {BackupManifest.FileName} but missing from the archive."));
        }

        return checkedMembers;
    }
}
