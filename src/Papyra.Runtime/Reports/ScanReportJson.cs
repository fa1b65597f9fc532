using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Reports;

/// <summary>
/// A scan of a store, one shape everywhere: <c>papyra persistence scan --json</c>, the
/// <c>verification</c> of a recovery, and the <c>scan</c> of <c>/papyra/healthz</c>
/// (approved in <c>api/cli-json.txt</c> and <c>api/http-json.txt</c>).
/// </summary>
/// <param name="Backend">The backend's provider name.</param>
/// <param name="Path">Where the store is (a password in it redacted), or <see langword="null"/>.</param>
/// <param name="Supported">Whether the backend can scan; when it cannot, the report is empty and healthy.</param>
/// <param name="Healthy">Whether the scan found no anomaly.</param>
/// <param name="RecordsScanned">How many valid records the scan read.</param>
/// <param name="BytesScanned">How many bytes the scan read.</param>
/// <param name="TotalAnomalies">How many anomalies there are (more than <paramref name="Anomalies"/> lists when the scan capped its list).</param>
/// <param name="Anomalies">The anomalies listed.</param>
[PapyraInternal]
public sealed record ScanReportJson(
    string Backend,
    string? Path,
    bool Supported,
    bool Healthy,
    long RecordsScanned,
    long BytesScanned,
    long TotalAnomalies,
    IReadOnlyList<AnomalyJson> Anomalies)
{
    /// <summary>The report of <paramref name="scan"/>, or of a backend that cannot scan when it is <see langword="null"/>.</summary>
    /// <param name="backend">The backend's provider name.</param>
    /// <param name="path">Where the store is; a password in it is redacted.</param>
    /// <param name="scan">The scan, or <see langword="null"/> when the backend cannot scan.</param>
    /// <returns>The report.</returns>
    public static ScanReportJson From(string backend, string? path, PersistenceScanReport? scan)
    {
        ArgumentNullException.ThrowIfNull(backend);
        string? shown = SecretRedaction.Redact(path);
        return scan is null
            ? new(backend, shown, Supported: false, Healthy: true, 0, 0, 0, [])
            : new(backend, shown, Supported: true, !scan.HasAnomalies, scan.RecordsScanned, scan.BytesScanned, scan.TotalAnomalies, AnomalyJson.FromAll(scan.Anomalies));
    }

    /// <summary>The report of <paramref name="scan"/>, named by the backend and path the scan itself gives.</summary>
    /// <param name="scan">The scan.</param>
    /// <returns>The report.</returns>
    public static ScanReportJson From(PersistenceScanReport scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return From(scan.Backend, scan.Path, scan);
    }
}
