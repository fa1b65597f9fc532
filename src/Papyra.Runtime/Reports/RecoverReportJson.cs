using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Reports;

/// <summary>
/// A recovery run (<c>papyra persistence recover --json</c>): the anomalies found before it, what it
/// did and the verification scan after it.
/// </summary>
/// <param name="Backend">The backend's provider name.</param>
/// <param name="Path">Where the store is (a password in it redacted), or <see langword="null"/>.</param>
/// <param name="Mode">The recovery mode's option name.</param>
/// <param name="Healthy">Whether the verification scan is clean.</param>
/// <param name="TotalAnomalies">How many anomalies the scan before the recovery found.</param>
/// <param name="Anomalies">The anomalies the scan before the recovery listed.</param>
/// <param name="Recovery">What the recovery did.</param>
/// <param name="Verification">The scan after the recovery.</param>
[PapyraInternal]
public sealed record RecoverReportJson(
    string Backend,
    string? Path,
    string Mode,
    bool Healthy,
    long TotalAnomalies,
    IReadOnlyList<AnomalyJson> Anomalies,
    RecoveryJson Recovery,
    ScanReportJson Verification)
{
    /// <summary>The report of <paramref name="recovery"/> on the store at <paramref name="path"/>.</summary>
    /// <param name="backend">The backend's provider name.</param>
    /// <param name="path">Where the store is; a password in it is redacted.</param>
    /// <param name="recovery">The recovery.</param>
    /// <returns>The report.</returns>
    public static RecoverReportJson From(string backend, string? path, PersistenceRecoveryReport recovery)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        return new(
            backend,
            SecretRedaction.Redact(path),
            PersistenceOptionNames.ToName(recovery.Mode),
            recovery.IsClean,
            recovery.Scan.TotalAnomalies,
            AnomalyJson.FromAll(recovery.Scan.Anomalies),
            RecoveryJson.From(recovery),
            ScanReportJson.From(backend, path, recovery.Verification));
    }
}
