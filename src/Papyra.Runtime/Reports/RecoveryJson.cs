using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Reports;

/// <summary>What a recovery did: <c>{mode, repaired_files, quarantined_files, rejected_files}</c>.</summary>
/// <param name="Mode">The recovery mode's option name (<c>repair</c>, <c>quarantine</c>, <c>ignore</c>).</param>
/// <param name="RepairedFiles">The files rewritten in place.</param>
/// <param name="QuarantinedFiles">Where damaged files were moved.</param>
/// <param name="RejectedFiles">The sidecars that hold the rejected lines.</param>
[PapyraInternal]
public sealed record RecoveryJson(string Mode, IReadOnlyList<string> RepairedFiles, IReadOnlyList<string> QuarantinedFiles, IReadOnlyList<string> RejectedFiles)
{
    /// <summary>The report form of <paramref name="recovery"/>.</summary>
    /// <param name="recovery">The recovery.</param>
    /// <returns>Its report form.</returns>
    public static RecoveryJson From(PersistenceRecoveryReport recovery)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        return new(PersistenceOptionNames.ToName(recovery.Mode), recovery.RepairedFiles, recovery.QuarantinedFiles, recovery.RejectedFiles);
    }
}
