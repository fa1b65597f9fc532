using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Reports;

/// <summary>
/// A startup check (<c>papyra persistence startup-check --json</c> and <c>papyra doctor run --json</c>):
/// the modes, the outcome, the anomalies found and, when a recovery ran, what it did and its verification.
/// </summary>
/// <param name="Backend">The backend's provider name.</param>
/// <param name="Path">Where the store is (a password in it redacted), or <see langword="null"/>.</param>
/// <param name="Mode">The startup mode's option name.</param>
/// <param name="RecoveryMode">The recovery mode's option name.</param>
/// <param name="Outcome">What happened (<c>healthy</c>, <c>anomalies_found</c>, <c>recovered</c>, …).</param>
/// <param name="Passed">Whether startup would continue.</param>
/// <param name="Healthy">Whether the store is clean now (it was, or a recovery made it so).</param>
/// <param name="Supported">Whether the backend can scan.</param>
/// <param name="TotalAnomalies">How many anomalies the check found.</param>
/// <param name="Anomalies">The anomalies the check listed.</param>
/// <param name="Recovery">What the recovery did, when one ran.</param>
/// <param name="Verification">The scan after the recovery, when one ran.</param>
[PapyraInternal]
public sealed record StartupCheckReportJson(
    string Backend,
    string? Path,
    string Mode,
    string RecoveryMode,
    string Outcome,
    bool Passed,
    bool Healthy,
    bool Supported,
    long TotalAnomalies,
    IReadOnlyList<AnomalyJson> Anomalies,
    RecoveryJson? Recovery,
    ScanReportJson? Verification)
{
    /// <summary>The report of <paramref name="report"/>.</summary>
    /// <param name="backend">The backend's provider name.</param>
    /// <param name="path">Where the store is; a password in it is redacted.</param>
    /// <param name="config">The check's configuration.</param>
    /// <param name="report">The check's result.</param>
    /// <param name="outcome">The outcome's name, as the caller classified it.</param>
    /// <param name="healthy">Whether the store is clean now.</param>
    /// <returns>The report.</returns>
    public static StartupCheckReportJson From(string backend, string? path, PersistenceStartupConfig config, PersistenceStartupReport report, string outcome, bool healthy)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(report);
        PersistenceScanReport scan = report.Scan ?? PersistenceScanReport.Clean(backend, path);
        return new(
            backend,
            SecretRedaction.Redact(path),
            PersistenceOptionNames.ToName(config.Mode),
            PersistenceOptionNames.ToName(config.EffectiveRecovery.Mode),
            outcome,
            report.Passed,
            healthy,
            report.Scan is not null,
            scan.TotalAnomalies,
            AnomalyJson.FromAll(scan.Anomalies),
            report.Recovery is { } recovery ? RecoveryJson.From(recovery) : null,
            report.Recovery is { } verified ? ScanReportJson.From(backend, path, verified.Verification) : null);
    }
}
