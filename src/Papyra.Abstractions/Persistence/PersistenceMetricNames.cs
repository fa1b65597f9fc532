namespace Papyra.Persistence;

/// <summary>
/// The field names of persistence metrics, as they appear in snapshots, JSON and the CLI.
/// Use these constants rather than string literals when reading a snapshot dictionary.
/// </summary>
public static class PersistenceMetricNames
{
    /// <summary>Records written.</summary>
    public const string RecordsWritten = "records_written";

    /// <summary>Bytes written (UTF-8 bytes of stored lines, newline included).</summary>
    public const string BytesWritten = "bytes_written";

    /// <summary>Writes that failed.</summary>
    public const string WriteErrors = "write_errors";

    /// <summary>Records read.</summary>
    public const string RecordsRead = "records_read";

    /// <summary>Reads that failed or records skipped as unreadable.</summary>
    public const string ReadErrors = "read_errors";

    /// <summary>Scans run.</summary>
    public const string Scans = "scans";

    /// <summary>Scans that failed.</summary>
    public const string ScanErrors = "scan_errors";

    /// <summary>Anomalies found by scans.</summary>
    public const string AnomaliesDetected = "anomalies_detected";

    /// <summary>Recoveries run.</summary>
    public const string Recoveries = "recoveries";

    /// <summary>Recoveries that failed.</summary>
    public const string RecoveryErrors = "recovery_errors";

    /// <summary>Compactions run.</summary>
    public const string Compactions = "compactions";

    /// <summary>Compactions that failed.</summary>
    public const string CompactionErrors = "compaction_errors";

    /// <summary>File rotations (rotating backend).</summary>
    public const string Rotations = "rotations";

    /// <summary>Records dropped because the oldest rotated file was deleted (rotating backend).</summary>
    public const string RotationDroppedRecords = "rotation_dropped_records";

    /// <summary>Every name, in snapshot order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        RecordsWritten, BytesWritten, WriteErrors, RecordsRead, ReadErrors, Scans, ScanErrors,
        AnomaliesDetected, Recoveries, RecoveryErrors, Compactions, CompactionErrors, Rotations,
        RotationDroppedRecords,
    ];
}
