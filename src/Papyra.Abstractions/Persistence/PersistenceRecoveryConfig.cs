namespace Papyra.Persistence;

/// <summary>How to recover a damaged store.</summary>
/// <param name="Mode">What to do with damage; <see cref="PersistenceRecoveryMode.Ignore"/> by default.</param>
/// <param name="QuarantineDirectory">Where quarantined files go; <see langword="null"/> means the store's own directory.</param>
public sealed record PersistenceRecoveryConfig(PersistenceRecoveryMode Mode = PersistenceRecoveryMode.Ignore, string? QuarantineDirectory = null)
{
    /// <summary>Report only.</summary>
    public static PersistenceRecoveryConfig Ignore { get; } = new(PersistenceRecoveryMode.Ignore);

    /// <summary>Repair in place, moving rejected content to sidecar files.</summary>
    public static PersistenceRecoveryConfig Repair { get; } = new(PersistenceRecoveryMode.Repair);
}
