using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
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
/// <remarks>
/// Streaming reads (<see cref="IPersistenceStreamReader"/>) give each record a position
/// <c>memory:&lt;store&gt;.&lt;sequence&gt;</c>: a random id of this backend instance and the record's
/// sequence number, which increases by one with every append and is never reused. Resuming after a
/// record that is still stored works whatever was removed around it; resuming after a record that
/// <see cref="CompactAsync"/> or <see cref="Clear"/> removed, or with a position of another store,
/// throws <see cref="PersistencePositionException"/>. Reads copy the store a small chunk at a time,
/// never whole, and followers wake on the append itself (no polling).
/// </remarks>
public sealed class InMemoryPersistenceBackend :
    IPersistenceBackend, IPersistenceScanner, IPersistenceRecoverer, IPersistenceCompactor, IPersistenceMetrics, IPersistenceStreamReader
{
    /// <summary>The backend identifier.</summary>
    public const string BackendName = "memory";

    private const string PositionScheme = "memory";
    private const int ChunkSize = 256;

    private readonly Lock _gate = new();
    private readonly List<Stored> _records = [];
    private readonly TimeProvider _timeProvider;
    private readonly PersistenceMetricsRecorder _metrics = new();
    private readonly ulong _storeId = RandomStoreId();
    private long _lastSequence;
    private TaskCompletionSource? _appended;
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
    public IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ReadCoreAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FollowCoreAsync(request with { Order = PersistenceReadOrder.OldestFirst }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Span<long> kinds = stackalloc long[3];
        lock (_gate)
        {
            (double oldest, long floor) = RetentionBounds();
            foreach (Stored stored in _records)
            {
                if (stored.Sequence >= floor && stored.Record.Timestamp >= oldest)
                {
                    kinds[(int)stored.Record.Kind]++;
                }
            }
        }

        return ValueTask.FromResult(new PersistenceRecordCounts(kinds[0], kinds[1], kinds[2], 0));
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
        TaskCompletionSource? appended;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _records.Add(new Stored(record, bytes, ++_lastSequence));
            appended = _appended;
            _appended = null;
        }

        appended?.TrySetResult();
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

    private static ulong RandomStoreId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private async IAsyncEnumerable<StoredRecord> ReadCoreAsync(PersistenceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        ReadBounds bounds = Bounds(request.After);
        foreach (StoredRecord record in Read(request, bounds, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
    }

    private async IAsyncEnumerable<StoredRecord> FollowCoreAsync(PersistenceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        ReadBounds bounds = Bounds(request.After);

        // The backlog: the newest Limit records, or everything after After, or everything. It is
        // read without the token, so that cancelling ends the follow quietly between two records.
        IEnumerable<StoredRecord> backlog = bounds.After is null && request.Limit is not null
            ? Read(request, bounds, CancellationToken.None)
            : Read(request with { Limit = null }, bounds, CancellationToken.None);
        foreach (StoredRecord record in backlog)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            yield return record;
        }

        // Then every record appended after the read's snapshot; age retention still applies.
        long cursor = bounds.Last;
        var chunk = new List<Stored>(ChunkSize);
        while (!cancellationToken.IsCancellationRequested)
        {
            Task appended;
            double oldest;
            lock (_gate)
            {
                chunk.Clear();
                for (int i = IndexAfter(cursor); i < _records.Count && chunk.Count < ChunkSize; i++)
                {
                    chunk.Add(_records[i]);
                }

                oldest = RetentionBounds().Oldest;
                appended = chunk.Count > 0 ? Task.CompletedTask : (_appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            if (chunk.Count == 0)
            {
                try
                {
                    await appended.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                continue;
            }

            foreach (Stored stored in chunk)
            {
                cursor = stored.Sequence;
                if (stored.Record.Timestamp >= oldest && request.Matches(stored.Record))
                {
                    yield return ToStored(stored);
                }
            }
        }
    }

    // The records a read yields, copied out of the store a chunk at a time (never under the lock while yielding).
    private IEnumerable<StoredRecord> Read(PersistenceReadRequest request, ReadBounds bounds, CancellationToken cancellationToken)
    {
        long floor = Math.Max(bounds.Floor, (bounds.After ?? 0) + 1);
        if (request.Order == PersistenceReadOrder.NewestFirst)
        {
            long ceiling = bounds.After is { } after ? after - 1 : bounds.Last;
            return Backwards(request, bounds.Oldest, bounds.Floor, ceiling, cancellationToken);
        }

        if (request.Limit is null)
        {
            return Forwards(request, bounds.Oldest, floor, bounds.Last, cancellationToken);
        }

        // Oldest first with a limit: the newest `limit` matches after the start, collected backwards.
        return NewestReversed(Backwards(request, bounds.Oldest, floor, bounds.Last, cancellationToken));
    }

    private static IEnumerable<StoredRecord> NewestReversed(IEnumerable<StoredRecord> newestFirst)
    {
        var newest = newestFirst.ToList();
        for (int i = newest.Count - 1; i >= 0; i--)
        {
            yield return newest[i];
        }
    }

    private IEnumerable<StoredRecord> Forwards(PersistenceReadRequest request, double oldest, long floor, long ceiling, CancellationToken cancellationToken)
    {
        var chunk = new List<Stored>(ChunkSize);
        long cursor = floor - 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chunk.Clear();
            lock (_gate)
            {
                for (int i = IndexAfter(cursor); i < _records.Count && chunk.Count < ChunkSize && _records[i].Sequence <= ceiling; i++)
                {
                    chunk.Add(_records[i]);
                }
            }

            if (chunk.Count == 0)
            {
                yield break;
            }

            foreach (Stored stored in chunk)
            {
                if (stored.Record.Timestamp >= oldest && request.Matches(stored.Record))
                {
                    yield return ToStored(stored);
                }
            }

            cursor = chunk[^1].Sequence;
        }
    }

    private IEnumerable<StoredRecord> Backwards(PersistenceReadRequest request, double oldest, long floor, long ceiling, CancellationToken cancellationToken)
    {
        var chunk = new List<Stored>(ChunkSize);
        long cursor = ceiling + 1;
        int yielded = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chunk.Clear();
            lock (_gate)
            {
                for (int i = IndexAfter(cursor - 1) - 1; i >= 0 && chunk.Count < ChunkSize && _records[i].Sequence >= floor; i--)
                {
                    chunk.Add(_records[i]);
                }
            }

            if (chunk.Count == 0)
            {
                yield break;
            }

            foreach (Stored stored in chunk)
            {
                if (stored.Record.Timestamp >= oldest && request.Matches(stored.Record))
                {
                    yield return ToStored(stored);
                    if (++yielded == request.Limit)
                    {
                        yield break;
                    }
                }
            }

            cursor = chunk[^1].Sequence;
        }
    }

    private StoredRecord ToStored(Stored stored) => new(stored.Record, new PersistencePosition(PositionScheme, _storeId, (ulong)stored.Sequence));

    // What a read sees, fixed when it starts: the newest record, retention's bounds and where to resume.
    private ReadBounds Bounds(PersistencePosition? after)
    {
        lock (_gate)
        {
            (double oldest, long floor) = RetentionBounds();
            return new ReadBounds(_lastSequence, oldest, floor, after is null ? null : Resolve(after));
        }
    }

    // Retention as RetentionEvaluator applies it: records older than max_age are dropped one by one
    // (Oldest); max_records and max_total_bytes keep a newest suffix, from sequence Floor on.
    private (double Oldest, long Floor) RetentionBounds()
    {
        double oldest = Retention.MaxAgeSeconds is { } age ? RetentionEvaluator.UnixNow(_timeProvider) - age : double.NegativeInfinity;
        if (Retention.MaxRecords is null && Retention.MaxTotalBytes is null)
        {
            return (oldest, 0);
        }

        long records = Retention.MaxRecords ?? long.MaxValue;
        long bytes = Retention.MaxTotalBytes ?? long.MaxValue;
        for (int i = _records.Count - 1; i >= 0; i--)
        {
            Stored stored = _records[i];
            if (stored.Record.Timestamp < oldest)
            {
                continue;
            }

            if (records == 0 || stored.Bytes > bytes)
            {
                return (oldest, stored.Sequence + 1);
            }

            records--;
            bytes -= stored.Bytes;
        }

        return (oldest, 0);
    }

    private long Resolve(PersistencePosition position)
    {
        Span<ulong> parts = stackalloc ulong[2];
        if (position.Scheme != PositionScheme || !position.TryGetParts(parts) || parts[0] != _storeId || parts[1] is 0 || parts[1] > (ulong)_lastSequence)
        {
            throw new PersistencePositionException($"The position '{position}' does not belong to this in-memory store.");
        }

        long sequence = (long)parts[1];
        int index = IndexAfter(sequence - 1);
        return index < _records.Count && _records[index].Sequence == sequence
            ? sequence
            : throw new PersistencePositionException($"The position '{position}' is no longer valid: compaction or Clear removed the record it follows.");
    }

    // The index of the first record with a sequence number greater than `sequence` (they increase along the list).
    private int IndexAfter(long sequence)
    {
        int low = 0;
        int high = _records.Count;
        while (low < high)
        {
            int mid = (int)((uint)(low + high) >> 1);
            if (_records[mid].Sequence <= sequence)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Where a read starts and stops: the newest record when it started, the age cutoff, the first sequence number retention keeps, and the resume point.</summary>
    private readonly record struct ReadBounds(long Last, double Oldest, long Floor, long? After);

    private readonly record struct Stored(PersistedRecord Record, long Bytes, long Sequence);
}
