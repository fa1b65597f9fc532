namespace Papyra.Persistence.Metrics;

/// <summary>
/// Thread-safe persistence counters for backend implementations. Increments are lock-free;
/// <see cref="Snapshot"/> reads each counter atomically.
/// </summary>
[PapyraInternal]
public sealed class PersistenceMetricsRecorder : IPersistenceMetrics
{
    private long _recordsWritten;
    private long _bytesWritten;
    private long _writeErrors;
    private long _recordsRead;
    private long _readErrors;
    private long _scans;
    private long _scanErrors;
    private long _anomaliesDetected;
    private long _recoveries;
    private long _recoveryErrors;
    private long _compactions;
    private long _compactionErrors;
    private long _rotations;
    private long _rotationDroppedRecords;

    /// <summary>Counts written records and their bytes.</summary>
    /// <param name="records">Records written.</param>
    /// <param name="bytes">Bytes written.</param>
    public void RecordWrite(long records, long bytes)
    {
        Interlocked.Add(ref _recordsWritten, records);
        Interlocked.Add(ref _bytesWritten, bytes);
    }

    /// <summary>Counts a failed write.</summary>
    public void RecordWriteError() => Interlocked.Increment(ref _writeErrors);

    /// <summary>Counts records read.</summary>
    /// <param name="records">Records read.</param>
    public void RecordRead(long records) => Interlocked.Add(ref _recordsRead, records);

    /// <summary>Counts failed reads or skipped unreadable records.</summary>
    /// <param name="errors">How many.</param>
    public void RecordReadErrors(long errors) => Interlocked.Add(ref _readErrors, errors);

    /// <summary>Counts a completed scan and the anomalies it found.</summary>
    /// <param name="anomalies">Anomalies found.</param>
    public void RecordScan(long anomalies)
    {
        Interlocked.Increment(ref _scans);
        Interlocked.Add(ref _anomaliesDetected, anomalies);
    }

    /// <summary>Counts a failed scan.</summary>
    public void RecordScanError() => Interlocked.Increment(ref _scanErrors);

    /// <summary>Counts a recovery.</summary>
    public void RecordRecovery() => Interlocked.Increment(ref _recoveries);

    /// <summary>Counts a failed recovery.</summary>
    public void RecordRecoveryError() => Interlocked.Increment(ref _recoveryErrors);

    /// <summary>Counts a compaction.</summary>
    public void RecordCompaction() => Interlocked.Increment(ref _compactions);

    /// <summary>Counts a failed compaction.</summary>
    public void RecordCompactionError() => Interlocked.Increment(ref _compactionErrors);

    /// <summary>Counts a file rotation and the records dropped with the oldest file.</summary>
    /// <param name="droppedRecords">Records deleted with the oldest file of a full set.</param>
    public void RecordRotation(long droppedRecords)
    {
        Interlocked.Increment(ref _rotations);
        Interlocked.Add(ref _rotationDroppedRecords, droppedRecords);
    }

    /// <summary>Returns the current counters.</summary>
    /// <returns>A snapshot.</returns>
    public PersistenceMetricsSnapshot Snapshot() => new()
    {
        RecordsWritten = Volatile.Read(ref _recordsWritten),
        BytesWritten = Volatile.Read(ref _bytesWritten),
        WriteErrors = Volatile.Read(ref _writeErrors),
        RecordsRead = Volatile.Read(ref _recordsRead),
        ReadErrors = Volatile.Read(ref _readErrors),
        Scans = Volatile.Read(ref _scans),
        ScanErrors = Volatile.Read(ref _scanErrors),
        AnomaliesDetected = Volatile.Read(ref _anomaliesDetected),
        Recoveries = Volatile.Read(ref _recoveries),
        RecoveryErrors = Volatile.Read(ref _recoveryErrors),
        Compactions = Volatile.Read(ref _compactions),
        CompactionErrors = Volatile.Read(ref _compactionErrors),
        Rotations = Volatile.Read(ref _rotations),
        RotationDroppedRecords = Volatile.Read(ref _rotationDroppedRecords),
    };

    /// <summary>Sets every counter to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _recordsWritten, 0);
        Interlocked.Exchange(ref _bytesWritten, 0);
        Interlocked.Exchange(ref _writeErrors, 0);
        Interlocked.Exchange(ref _recordsRead, 0);
        Interlocked.Exchange(ref _readErrors, 0);
        Interlocked.Exchange(ref _scans, 0);
        Interlocked.Exchange(ref _scanErrors, 0);
        Interlocked.Exchange(ref _anomaliesDetected, 0);
        Interlocked.Exchange(ref _recoveries, 0);
        Interlocked.Exchange(ref _recoveryErrors, 0);
        Interlocked.Exchange(ref _compactions, 0);
        Interlocked.Exchange(ref _compactionErrors, 0);
        Interlocked.Exchange(ref _rotations, 0);
        Interlocked.Exchange(ref _rotationDroppedRecords, 0);
    }

    /// <inheritdoc/>
    PersistenceMetricsSnapshot IPersistenceMetrics.GetMetricsSnapshot() => Snapshot();

    /// <inheritdoc/>
    void IPersistenceMetrics.ResetMetrics() => Reset();
}
