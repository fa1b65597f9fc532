namespace Papyra.Persistence;

/// <summary>The result of a read-only scan.</summary>
public sealed record PersistenceScanReport
{
    /// <summary>Creates a scan report.</summary>
    /// <param name="backend">The backend identifier (<c>json</c>, <c>rotating</c>, …).</param>
    /// <param name="path">The store's location (file path, key prefix), when it has one.</param>
    /// <param name="anomalies">The anomalies kept in the report (a scan may keep only the first ones; see <paramref name="totalAnomalies"/>).</param>
    /// <param name="totalAnomalies">How many anomalies the scan found in all; <see langword="null"/> means the count of <paramref name="anomalies"/>.</param>
    /// <param name="recordsScanned">How many valid records the scan read.</param>
    /// <param name="bytesScanned">How many bytes the scan read.</param>
    public PersistenceScanReport(string backend, string? path, IReadOnlyList<PersistenceAnomaly> anomalies, long? totalAnomalies = null, long recordsScanned = 0, long bytesScanned = 0)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(anomalies);
        if (totalAnomalies is { } total && total < anomalies.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(totalAnomalies), total, "The total anomaly count cannot be smaller than the number of anomalies reported.");
        }

        Backend = backend;
        Path = path;
        Anomalies = anomalies;
        TotalAnomalies = totalAnomalies ?? anomalies.Count;
        RecordsScanned = recordsScanned;
        BytesScanned = bytesScanned;
    }

    /// <summary>The backend identifier.</summary>
    public string Backend { get; }

    /// <summary>The store's location, when it has one.</summary>
    public string? Path { get; }

    /// <summary>The anomalies kept in the report, in the order found.</summary>
    public IReadOnlyList<PersistenceAnomaly> Anomalies { get; }

    /// <summary>How many anomalies the scan found in all (at least <c>Anomalies.Count</c>).</summary>
    public long TotalAnomalies { get; }

    /// <summary>How many valid records the scan read.</summary>
    public long RecordsScanned { get; }

    /// <summary>How many bytes the scan read.</summary>
    public long BytesScanned { get; }

    /// <summary>Whether the scan found any damage.</summary>
    public bool HasAnomalies => TotalAnomalies > 0;

    /// <summary>Creates a report with no anomalies.</summary>
    /// <param name="backend">The backend identifier.</param>
    /// <param name="path">The store's location, when it has one.</param>
    /// <returns>A clean report.</returns>
    public static PersistenceScanReport Clean(string backend, string? path = null) => new(backend, path, []);
}
