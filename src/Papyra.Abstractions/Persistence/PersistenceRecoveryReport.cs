namespace Papyra.Persistence;

/// <summary>The result of a recovery.</summary>
/// <param name="Backend">The backend identifier.</param>
/// <param name="Mode">The recovery mode applied.</param>
/// <param name="Scan">The scan that found the damage, before anything changed.</param>
/// <param name="Verification">The scan run after recovery.</param>
/// <param name="RepairedFiles">Files rewritten in place.</param>
/// <param name="QuarantinedFiles">Where damaged files were moved to.</param>
/// <param name="RejectedFiles">Sidecar files holding the raw bytes of rejected lines.</param>
public sealed record PersistenceRecoveryReport(
    string Backend,
    PersistenceRecoveryMode Mode,
    PersistenceScanReport Scan,
    PersistenceScanReport Verification,
    IReadOnlyList<string> RepairedFiles,
    IReadOnlyList<string> QuarantinedFiles,
    IReadOnlyList<string> RejectedFiles)
{
    /// <summary>Whether the verification scan found the store clean.</summary>
    public bool IsClean => !Verification.HasAnomalies;
}
