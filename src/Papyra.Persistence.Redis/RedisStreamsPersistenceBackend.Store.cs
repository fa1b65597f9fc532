using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Papyra.Diagnostics;
using Papyra.Persistence.Redis.Connection;
using Papyra.Persistence.Redis.Codec;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>The store: appends (one pipelined <c>XADD</c> each) and the accounting of their outcomes.</summary>
public sealed partial class RedisStreamsPersistenceBackend
{
    /// <inheritdoc/>
    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => AppendAsync(record, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => AppendAsync(record, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => AppendAsync(record, cancellationToken);

    /// <summary>Completes at once: every write already completed only when Redis acknowledged it.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Settles appends when they complete, whether or not their callers await them: one append in
    /// flight is watched (one continuation, not one per append); when it completes, every completed
    /// append from the head of the queue is settled, and the newest one still in flight is watched.
    /// Redis answers one connection's commands in order, so when the newest completes the ones before
    /// it have too: a burst of appends costs a few thread-pool wake-ups, not one per reply batch.
    /// </summary>
    /// <remarks>
    /// Appending threads link the append to the queue's tail without a lock (an exchange of the tail,
    /// then the link), so they never wait for a settling pass. At most one pass runs at a time: the one
    /// that set <c>_watching</c>. A pass lets go of it only when nothing is linked after the last append
    /// it settled, and looks again after letting go; an appender looks at <c>_watching</c> after linking.
    /// Both look after a full fence, so one of them always sees the other: no append is left unwatched.
    /// </remarks>
    private void Track(PendingAppend append)
    {
        PendingAppend previous = Interlocked.Exchange(ref _tail, append);

        // A full fence (not a plain store) so the look at _watching below cannot come before the link.
        Interlocked.Exchange(ref previous.Next, append);
        if (Volatile.Read(ref _watching) == 0 && Interlocked.CompareExchange(ref _watching, 1, 0) == 0)
        {
            Watch(append);
        }
    }

    // Appends a settling pass counts together (SettleStored).
    private const int SettleBatch = 64;

    private void Watch(PendingAppend append) => append.Write.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_settleCompleted);

    private void SettleCompleted()
    {
        // Only the pass that set _watching runs, so it owns _settled and _settling.
        PendingAppend settled = _settled;
        while (true)
        {
            PendingAppend? next = Volatile.Read(ref settled.Next);
            int stored = 0;
            while (next is not null && next.Write.IsCompleted)
            {
                if (next.TryClaim())
                {
                    if (next.Write.IsCompletedSuccessfully)
                    {
                        _settling[stored++] = next;
                        if (stored == _settling.Length)
                        {
                            SettleStored(stored);
                            stored = 0;
                        }
                    }
                    else
                    {
                        try
                        {
                            next.SettleClaimed();
                        }
                        finally
                        {
                            next.MarkSettled();
                        }
                    }
                }

                // Nothing links after a settled append again (it is not the tail): unlink it so a
                // caller holding its task does not keep every later append reachable.
                settled.Next = null;
                settled = next;
                next = Volatile.Read(ref settled.Next);
            }

            SettleStored(stored);
            _settled = settled;
            if (next is not null)
            {
                // The newest, unless it completed before the head (out of order): then the head.
                PendingAppend newest = Volatile.Read(ref _tail);
                Watch(newest.Write.IsCompleted ? next : newest);
                return;
            }

            // Nothing more linked: let go, then look again (an append linked meanwhile may have seen
            // _watching still set), and carry on only if no appender took over.
            Interlocked.Exchange(ref _watching, 0);
            if (Volatile.Read(ref settled.Next) is null || Interlocked.CompareExchange(ref _watching, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Settles the stored appends the pass claimed, together: their records counted and their slabs
    /// released once per batch (one update of each shared counter, not one per append), then each
    /// one's span ended and the append marked settled, so a caller waiting for one sees it counted.
    /// </summary>
    private void SettleStored(int count)
    {
        if (count == 0)
        {
            return;
        }

        try
        {
            long bytes = 0;
            PayloadSlab? slab = null;
            int entries = 0;
            for (int i = 0; i < count; i++)
            {
                PendingAppend append = _settling[i];
                bytes += append.Bytes;
                if (!ReferenceEquals(append.Slab, slab))
                {
                    slab?.Release(entries);
                    slab = append.Slab;
                    entries = 0;
                }

                entries++;
            }

            slab?.Release(entries);
            WriteSucceeded(count, bytes);
            for (int i = 0; i < count; i++)
            {
                _settling[i].SettleClaimed();
            }
        }
        finally
        {
            for (int i = 0; i < count; i++)
            {
                _settling[i].MarkSettled();
                _settling[i] = null!;
            }
        }
    }

    private ValueTask AppendAsync(PersistedRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.CompletedTask;
        }

        // A sent XADD cannot be withdrawn, so cancellation is honoured only before sending.
        cancellationToken.ThrowIfCancellationRequested();
        RedisValue field = RedisRecordCodec.EncodeForAppend(record, Options.Encoding, out ReadOnlyMemory<byte> payload, out PayloadSlab? slab);

        // One write_batch span per append (each XADD is acknowledged on its own), ended when the append
        // is observed. It must not stay Activity.Current in the caller's flow, which goes on meanwhile.
        Activity? span = PersistenceActivities.StartWriteBatch(BackendName, Keys.Records);
        if (span is not null)
        {
            span.SetTag(PersistenceActivities.RecordsTag, 1);
            Activity.Current = span.Parent;
        }

        Task<RedisValue> add;
        try
        {
            add = _database.StreamAddAsync(_recordsKey, field, payload, messageId: null, maxLength: _trimLength, useApproximateMaxLength: true);
            if (Options.MinReplicas > 0)
            {
                add = WaitForReplicasAsync(add);
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // The payload's slab is not released: it is left to the GC rather than reused.
            IOException failure = WriteFailed(ex, record.Kind);
            PersistenceActivities.Fail(span, failure);
            span?.Dispose();
            return ValueTask.FromException(failure);
        }

        var pending = new PendingAppend(this, add, payload.Length, record.Kind, slab, span);
        Track(pending);
        return new ValueTask(pending, 0);
    }

    /// <summary>
    /// Completes with the entry id once <see cref="RedisStreamsOptions.MinReplicas"/> replicas have the
    /// record: a <c>WAIT</c> sent behind the <c>XADD</c> on the same connection to the same master (one
    /// <c>WAIT</c> shared by the appends sent while the previous one was in flight).
    /// </summary>
    private Task<RedisValue> WaitForReplicasAsync(Task<RedisValue> add)
    {
        Task<long> wait = _replicas!.AfterWrite();
        return CompleteAsync(add, wait, Options.MinReplicas, Options.ReplicaAckTimeout);

        static async Task<RedisValue> CompleteAsync(Task<RedisValue> add, Task<long> wait, int wanted, TimeSpan timeout)
        {
            RedisValue id;
            try
            {
                id = await add.ConfigureAwait(false);
            }
            finally
            {
                // Observe the WAIT whatever happened to the XADD.
                _ = wait.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }

            long acknowledged = await wait.ConfigureAwait(false);
            return acknowledged >= wanted
                ? id
                : throw new RedisReplicationException(acknowledged, wanted, timeout);
        }
    }

    /// <summary>
    /// On a cluster, a failed write may mean the stream's master died and a replica took over: the client
    /// learns the new slot map only by asking, so ask (at most once per <see cref="RedisStreamsOptions.ReconnectInterval"/>)
    /// and writes resume on the promoted replica without restarting anything.
    /// </summary>
    private void RefreshClusterMap()
    {
        if (!_cluster)
        {
            return;
        }

        // Real time, not the backend's clock (a test's fake clock would stop the refreshes): this paces I/O.
        long now = Stopwatch.GetTimestamp();
        long last = Volatile.Read(ref _lastReconfigure);
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < Options.ReconnectInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastReconfigure, now, last) == last)
        {
            _ = _connection.ConfigureAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>Counts stored records (by <see cref="PendingAppend.Settle"/>, or a settling pass for a batch).</summary>
    internal void WriteSucceeded(int records, long bytes)
    {
        _metrics.RecordWrite(records, bytes);
        if (_publisher is { IsStarted: false } publisher)
        {
            publisher.Start();
        }

        if (Volatile.Read(ref _consecutiveWriteFailures) != 0)
        {
            long failed = Interlocked.Exchange(ref _consecutiveWriteFailures, 0);
            if (failed > 0)
            {
                _logger.LogInformation("Redis writes to {Stream} resumed after {Failures} failed writes.", Keys.Records, failed);
            }
        }
    }

    /// <summary>Counts and logs a failed append; returns the exception its caller gets.</summary>
    internal IOException WriteFailed(Exception ex, PersistedRecordKind kind)
    {
        _metrics.RecordWriteError();
        RefreshClusterMap();
        long failures = Interlocked.Increment(ref _consecutiveWriteFailures);
        if (failures == 1)
        {
            _logger.LogWarning(ex, "Redis write to {Stream} at {Server} failed; the {Kind} record was not stored. Further failures are logged at debug level until writes succeed again.", Keys.Records, Options.RedactedUrl, PersistedRecordKinds.ToWireName(kind));
        }
        else
        {
            _logger.LogDebug(ex, "Redis write to {Stream} failed ({Failures} in a row).", Keys.Records, failures);
        }

        return ex is RedisReplicationException replication
            ? new IOException($"The {PersistedRecordKinds.ToWireName(kind)} record is not durable as configured: {replication.Message}", ex)
            : new IOException($"The {PersistedRecordKinds.ToWireName(kind)} record was not stored: Redis write to {Keys.Records} at {Options.RedactedUrl} failed ({ex.GetType().Name}).", ex);
    }
}
