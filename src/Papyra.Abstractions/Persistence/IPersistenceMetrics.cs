namespace Papyra.Persistence;

/// <summary>A backend that counts what it does (writes, reads, scans, recoveries, compactions).</summary>
public interface IPersistenceMetrics
{
    /// <summary>Returns a consistent copy of the current counters.</summary>
    /// <returns>The counters.</returns>
    PersistenceMetricsSnapshot GetMetricsSnapshot();

    /// <summary>Sets every counter back to zero.</summary>
    void ResetMetrics();
}
