namespace Papyra.Persistence;

/// <summary>A consistent copy of a backend's counters at one moment. Counters are monotonic until reset.</summary>
public sealed record PersistenceMetricsSnapshot
{
    /// <summary>A snapshot with every counter at zero.</summary>
    public static PersistenceMetricsSnapshot Zero { get; } = new();

    /// <summary>Records written (<c>records_written</c>).</summary>
    public long RecordsWritten { get; init; }

    /// <summary>Bytes written (<c>bytes_written</c>).</summary>
    public long BytesWritten { get; init; }

    /// <summary>Writes that failed (<c>write_errors</c>).</summary>
    public long WriteErrors { get; init; }

    /// <summary>Records read (<c>records_read</c>).</summary>
    public long RecordsRead { get; init; }

    /// <summary>Reads that failed or records skipped as unreadable (<c>read_errors</c>).</summary>
    public long ReadErrors { get; init; }

    /// <summary>Scans run (<c>scans</c>).</summary>
    public long Scans { get; init; }

    /// <summary>Scans that failed (<c>scan_errors</c>).</summary>
    public long ScanErrors { get; init; }

    /// <summary>Anomalies found by scans (<c>anomalies_detected</c>).</summary>
    public long AnomaliesDetected { get; init; }

    /// <summary>Recoveries run (<c>recoveries</c>).</summary>
    public long Recoveries { get; init; }

    /// <summary>Recoveries that failed (<c>recovery_errors</c>).</summary>
    public long RecoveryErrors { get; init; }

    /// <summary>Compactions run (<c>compactions</c>).</summary>
    public long Compactions { get; init; }

    /// <summary>Compactions that failed (<c>compaction_errors</c>).</summary>
    public long CompactionErrors { get; init; }

    /// <summary>File rotations (<c>rotations</c>).</summary>
    public long Rotations { get; init; }

    /// <summary>Records dropped with the oldest rotated file (<c>rotation_dropped_records</c>).</summary>
    public long RotationDroppedRecords { get; init; }

    /// <summary>Returns the counters keyed by their <see cref="PersistenceMetricNames"/>, in snapshot order.</summary>
    /// <returns>A new dictionary.</returns>
    public IReadOnlyDictionary<string, long> ToDictionary() => new Dictionary<string, long>(PersistenceMetricNames.All.Count, StringComparer.Ordinal)
    {
        [PersistenceMetricNames.RecordsWritten] = RecordsWritten,
        [PersistenceMetricNames.BytesWritten] = BytesWritten,
        [PersistenceMetricNames.WriteErrors] = WriteErrors,
        [PersistenceMetricNames.RecordsRead] = RecordsRead,
        [PersistenceMetricNames.ReadErrors] = ReadErrors,
        [PersistenceMetricNames.Scans] = Scans,
        [PersistenceMetricNames.ScanErrors] = ScanErrors,
        [PersistenceMetricNames.AnomaliesDetected] = AnomaliesDetected,
        [PersistenceMetricNames.Recoveries] = Recoveries,
        [PersistenceMetricNames.RecoveryErrors] = RecoveryErrors,
        [PersistenceMetricNames.Compactions] = Compactions,
        [PersistenceMetricNames.CompactionErrors] = CompactionErrors,
        [PersistenceMetricNames.Rotations] = Rotations,
        [PersistenceMetricNames.RotationDroppedRecords] = RotationDroppedRecords,
    };
}
