namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// Something wrong with an archive: <c>ChecksumMismatch</c>, <c>SizeMismatch</c>, <c>UnreadableArchive</c>,
/// <c>MissingManifest</c>, <c>InvalidManifest</c>, <c>MissingMember</c>, <c>UnexpectedMember</c>,
/// <c>CountMismatch</c>, or a scan anomaly of a member's content (<c>CorruptedLine</c>, …), naming the member.
/// </summary>
internal sealed record ArchiveAnomaly(string Type, string? Member, string Detail, long? Line = null, long? Offset = null);

/// <summary>A member as read back from an archive, with its SHA-256 and the manifest's.</summary>
internal sealed record VerifiedMember(string Name, long Bytes, string Sha256, string? ExpectedSha256)
{
    public bool Ok => string.Equals(Sha256, ExpectedSha256, StringComparison.Ordinal);

    /// <summary>The records and damaged lines the member's content holds, checked as a scan checks them.</summary>
    public LineTally? Tally { get; init; }
}

/// <summary>What <c>backup verify</c> found.</summary>
internal sealed record BackupVerification(string Archive, BackupManifest? Manifest, IReadOnlyList<VerifiedMember> Members, IReadOnlyList<ArchiveAnomaly> Anomalies, long RecordsScanned)
{
    /// <summary>Every anomaly found; <see cref="Anomalies"/> keeps the first 1,000 damaged lines of each member.</summary>
    public long TotalAnomalies { get; init; } = Anomalies.Count;

    public bool Healthy => TotalAnomalies == 0;
}

/// <summary>What <c>backup restore</c> wrote.</summary>
internal sealed record RestoreResult(string Archive, Rendering.StoreView Target, bool Replaced, long Records, IReadOnlyList<string> Files);
