using System.Diagnostics;
using Papyra.Diagnostics;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Reading;
using Papyra.Persistence.Retention;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Memory;

/// <summary>
/// A persistence backend that keeps records in process memory: for tests, samples and systems
/// that need no durability. Retention is applied on reads and by compaction exactly as the file
/// backends apply it (sizes are those of the records' NDJSON lines). It never reports anomalies.
/// </summary>
public sealed class InMemoryPersistenceBackend :
    IPersistenceBackend, IPersistenceScanner, IPersistenceRecoverer, IPersistenceCompactor, IPersistenceMetrics
{
    /// <summary>The backend identifier.</summary>
    public const string BackendName = "memory";

    private readonly Lock _gate = new();
    private readonly List<Stored> _records = [];
    private readonly TimeProvider _timeProvider;
    private readonly PersistenceMetricsRecorder _metrics = new();
    private bool _disposed;

    /// <summary>Creates an empty in-memory store.</summary>
    /// <param name="retention">The retention policy; <see langword="null"/> keeps everything.</param>
    /// <param name="timeProvider">The clock age retention is measured against; the system clock by default.</param>
    public InMemoryPersistenceBackend(RetentionPolicy? retention = null, TimeProvider? timeProvider = null)
    {
        Retention = retention ?? RetentionPolicy.Unlimited;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    public RetentionPolicy Retention { get; }

    /// <summary>How many records are stored physically (before retention is applied to reads).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => Append(record);

    /// <inheritdoc/>
    public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => Append(record);

    /// <inheritdoc/>
    public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => Append(record);

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read<PersistedEvent>(query));

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read<PersistedAudit>(query));

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read<PersistedDeadLetter>(query));

    /// <inheritdoc/>
    public ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default)
    {
        using Activity? activity = PersistenceActivities.StartScan(BackendName, null);
        long records;
        long bytes;
        lock (_gate)
        {
            records = _records.Count;
            bytes = _records.Sum(r => r.Bytes);
        }

        _metrics.RecordScan(0);
        PersistenceScanReport report = new(BackendName, null, [], 0, records, bytes);
        PersistenceActivities.Complete(activity, report);
        return ValueTask.FromResult(report);
    }

    /// <inheritdoc/>
    public async ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default)
    {
        PersistenceRecoveryMode mode = (config ?? PersistenceRecoveryConfig.Ignore).Mode;
        using Activity? activity = PersistenceActivities.StartRecover(BackendName, null, mode);
        PersistenceScanReport scan = await ScanAsync(cancellationToken).ConfigureAwait(false);
        _metrics.RecordRecovery();
        PersistenceRecoveryReport report = new(BackendName, mode, scan, scan, [], [], []);
        PersistenceActivities.Complete(activity, report);
        return report;
    }

    /// <inheritdoc/>
    public ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken = default)
    {
        using Activity? activity = PersistenceActivities.StartCompact(BackendName, null);
        CompactionReport report;
        lock (_gate)
        {
            long beforeBytes = _records.Sum(r => r.Bytes);
            int before = _records.Count;
            bool[] keep = EvaluateRetention();
            var kept = new List<Stored>(before);
            for (int i = 0; i < before; i++)
            {
                if (keep[i])
                {
                    kept.Add(_records[i]);
                }
            }

            _records.Clear();
            _records.AddRange(kept);
            report = new CompactionReport(BackendName, before, kept.Count, beforeBytes, kept.Sum(r => r.Bytes));
        }

        _metrics.RecordCompaction();
        PersistenceActivities.Complete(activity, report);
        return ValueTask.FromResult(report);
    }

    /// <inheritdoc/>
    public PersistenceMetricsSnapshot GetMetricsSnapshot() => _metrics.Snapshot();

    /// <inheritdoc/>
    public void ResetMetrics() => _metrics.Reset();

    /// <summary>Removes every record.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask Append(PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        long bytes = PersistedRecordSerializer.SerializeToThreadBuffer(record).Length;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _records.Add(new Stored(record, bytes));
        }

        _metrics.RecordWrite(1, bytes);
        return ValueTask.CompletedTask;
    }

    private PersistenceReadResult<T> Read<T>(PersistenceQuery? query)
        where T : PersistedRecord
    {
        var retained = new List<T>();
        lock (_gate)
        {
            bool[] keep = EvaluateRetention();
            for (int i = 0; i < _records.Count; i++)
            {
                if (keep[i] && _records[i].Record is T typed)
                {
                    retained.Add(typed);
                }
            }
        }

        IReadOnlyList<T> result = PersistenceQueryEvaluator.Apply(retained, query);
        _metrics.RecordRead(result.Count);
        return new PersistenceReadResult<T>(result, 0);
    }

    private bool[] EvaluateRetention()
    {
        if (Retention.IsUnlimited)
        {
            bool[] all = new bool[_records.Count];
            Array.Fill(all, true);
            return all;
        }

        var candidates = new RetentionCandidate[_records.Count];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new RetentionCandidate(_records[i].Record.Timestamp, _records[i].Bytes);
        }

        return RetentionEvaluator.Evaluate(candidates, Retention, RetentionEvaluator.UnixNow(_timeProvider));
    }

    private readonly record struct Stored(PersistedRecord Record, long Bytes);
}
