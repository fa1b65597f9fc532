namespace Papyra.Persistence;

/// <summary>A backend that can check its stored data for damage without changing it.</summary>
public interface IPersistenceScanner
{
    /// <summary>
    /// Scans the store read-only and reports every anomaly found. Safe to call before any actor
    /// runs. Damaged content is reported, never thrown; memory use is bounded whatever the store size.
    /// </summary>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The scan report.</returns>
    ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default);
}
