using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Diagnostics;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Reading;
using Papyra.Persistence.Redis.Connection;
using Papyra.Persistence.Redis.Consumers;
using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Redis.Metrics;
using Papyra.Persistence.Redis.Reading;
using Papyra.Persistence.Retention;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>
/// A persistence backend that stores an actor system's records in one Redis stream per system id
/// (<see cref="RedisStreamKeys.Records"/>), so several systems, on several machines, can share one
/// Redis. Records are MessagePack-encoded by default (<see cref="RedisStreamsOptions.Encoding"/>).
/// </summary>
/// <remarks>
/// <para>
/// Writes complete when Redis acknowledged the <c>XADD</c>; how durable that is depends on the
/// server's persistence settings (<c>appendonly yes</c> with <c>appendfsync always</c> loses nothing
/// acknowledged). When Redis is unreachable a write fails at once with an <see cref="IOException"/>,
/// is counted in <c>write_errors</c> and logged (once per outage, not once per record); the
/// connection is re-established in the background and writes resume by themselves.
/// </para>
/// <para>
/// Retention is applied to reads logically with the same algorithm as every other backend
/// (<see cref="RetentionEvaluator"/>, all kinds of a system together), and physically by
/// <see cref="CompactAsync"/>. With <see cref="RedisStreamsOptions.TrimOnWrite"/>, appends also trim
/// the stream approximately (<c>MAXLEN ~ max_records</c>), which never removes a record retention keeps.
/// </para>
/// <para>
/// Streaming reads (<see cref="IPersistenceStreamReader"/>) page through the stream with
/// <c>XRANGE</c> (oldest first) or <c>XREVRANGE</c> (newest first), <see cref="RedisStreamsOptions.ReadPageSize"/>
/// entries at a time, applying retention as the list reads do. A record's position is
/// <c>redis:&lt;entry id&gt;</c>; resuming after an entry that compaction, recovery or trimming removed
/// throws <see cref="PersistencePositionException"/>. Following polls for new entries every 15 ms
/// (StackExchange.Redis runs no blocking <c>XREAD</c> on its shared connection).
/// </para>
/// <para>
/// Writes pipeline: issue many and await them together for throughput. Cancellation is honoured
/// until the record is sent (a sent <c>XADD</c> cannot be withdrawn). A write's outcome
/// (<c>records_written</c> and <c>bytes_written</c>, or <c>write_errors</c>) is recorded when its
/// returned task is awaited, as every caller of a <see cref="ValueTask"/> must.
/// </para>
/// </remarks>
public sealed partial class RedisStreamsPersistenceBackend :
    IPersistenceBackend, IPersistenceScanner, IPersistenceRecoverer, IPersistenceCompactor, IPersistenceMetrics, IPersistenceStreamReader, IPersistenceLiveMetricsSource
{
    /// <summary>The backend identifier used in reports.</summary>
    public const string BackendName = RedisBackendNames.Backend;

    private const int MaxReportedAnomalies = 1000;
    private const int MoveBatchSize = 500;

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _database;
    private readonly RedisKey _recordsKey;
    private readonly int? _trimLength;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly PersistenceMetricsRecorder _metrics = new();
    private readonly RedisMetricsPublisher? _publisher;
    private readonly RedisStreamReader _reader;
    private readonly bool _cluster;
    private readonly ReplicaAcknowledgements? _replicas;
    private long _consecutiveWriteFailures;
    private long _lastReconfigure;
    private int _disposed;

    /// <summary>Creates a backend over an existing connection, which the caller keeps owning.</summary>
    /// <param name="connection">The Redis connection (create one with <see cref="RedisStreamsStore.ConnectAsync"/> to get Papyra's reconnection settings).</param>
    /// <param name="options">The key layout, encoding, retention and publishing settings; the server settings are not used.</param>
    /// <param name="logger">Where failures are logged; none by default.</param>
    /// <param name="timeProvider">The clock for age retention and metrics timestamps; the system clock by default.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisStreamsPersistenceBackend(IConnectionMultiplexer connection, RedisStreamsOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(connection, options, logger, timeProvider, ownsConnection: false)
    {
    }

    private RedisStreamsPersistenceBackend(IConnectionMultiplexer connection, RedisStreamsOptions options, ILogger? logger, TimeProvider? timeProvider, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.KeyLayout == RedisKeyLayout.Legacy && IsCluster(connection))
        {
            throw new ArgumentException(
                $"Invalid Redis options: {options.RedactedUrl} is a Redis Cluster and KeyLayout is Legacy, whose keys of one system fall in different hash slots; use KeyLayout HashTagged (key_layout=hash_tagged) and move an existing store with RedisKeyMigration (papyra persistence migrate-keys).",
                nameof(options));
        }

        _connection = connection;
        _cluster = IsCluster(connection);
        _ownsConnection = ownsConnection;
        Options = options;
        Keys = options.Keys;
        Retention = options.Retention ?? RetentionPolicy.Unlimited;
        _database = connection.GetDatabase(options.Database);
        _recordsKey = Keys.Records;
        _trimLength = options.TrimOnWrite && Retention.MaxRecords is { } max ? (int)Math.Min(max, int.MaxValue) : null;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _replicas = options.MinReplicas > 0 ? new ReplicaAcknowledgements(connection, _database, _recordsKey, options.MinReplicas, options.ReplicaAckTimeout) : null;
        _reader = new RedisStreamReader(_database, _recordsKey, Retention, _timeProvider, options.ReadPageSize, Failure);
        if (options.MetricsPublishInterval is { } interval)
        {
            // Started by the first successful write: a process that only reads, scans or repairs
            // the store (the CLI) never overwrites the running system's live figures.
            _publisher = new RedisMetricsPublisher(connection, options, this, interval, _logger, _timeProvider);
        }
    }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    public RetentionPolicy Retention { get; }

    /// <summary>The options this backend was created with.</summary>
    public RedisStreamsOptions Options { get; }

    /// <summary>The keys this backend writes and reads.</summary>
    public RedisStreamKeys Keys { get; }

    /// <summary>The Redis connection; share it with consumers and readers rather than opening another.</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <summary>Whether Redis is reachable right now.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>
    /// Connects to the Redis server named by <paramref name="options"/> and creates a backend that owns
    /// the connection (disposing the backend closes it).
    /// </summary>
    /// <param name="options">Server, key layout, encoding and retention settings.</param>
    /// <param name="logger">Where failures are logged; none by default.</param>
    /// <param name="timeProvider">The clock for age retention and metrics timestamps; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected backend.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="IOException">Redis is unreachable; the message names the server with its password redacted.</exception>
    public static async Task<RedisStreamsPersistenceBackend> ConnectAsync(
        RedisStreamsOptions options,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ConnectionMultiplexer connection = await RedisConnectionFactory.ConnectAsync(options, requireConnection: true, cancellationToken).ConfigureAwait(false);
        try
        {
            return new RedisStreamsPersistenceBackend(connection, options, logger, timeProvider, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a consumer-group reader of this system's stream that shares this backend's connection.</summary>
    /// <param name="options">The group, the consumer name and delivery limits.</param>
    /// <returns>The consumer.</returns>
    public RedisStreamConsumer CreateConsumer(RedisConsumerOptions options)
        => new(_connection, Options, options, _logger, _timeProvider);

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

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ReadAsync<PersistedEvent>(PersistedRecordKind.Event, query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ReadAsync<PersistedAudit>(PersistedRecordKind.Audit, query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ReadAsync<PersistedDeadLetter>(PersistedRecordKind.DeadLetter, query, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default)
        => _reader.ReadAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default)
        => _reader.FollowAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken = default)
        => _reader.CountAsync(cancellationToken);

    /// <summary>
    /// Checks the newest <see cref="RedisStreamsOptions.ScanSampleSize"/> entries (every entry when it is 0)
    /// without changing anything: an entry whose payload cannot be decoded is an
    /// <see cref="PersistenceAnomalyType.UndecodableEntry"/>; one that decodes to something that is not a
    /// valid record (no <c>kind</c>, unknown kind, no numeric <c>timestamp</c>, a <c>kind</c> field that
    /// disagrees with the payload) is an <see cref="PersistenceAnomalyType.InvalidRecord"/>. Each anomaly's
    /// path is the stream key and its detail starts with the entry id.
    /// </summary>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The scan report.</returns>
    /// <exception cref="IOException">Redis is unreachable (counted in <c>scan_errors</c>).</exception>
    public async ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default)
    {
        using Activity? activity = PersistenceActivities.StartScan(BackendName, Keys.Records);
        try
        {
            PersistenceScanReport report = await ScanCoreAsync(cancellationToken).ConfigureAwait(false);
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            PersistenceActivities.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<PersistenceScanReport> ScanCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            var anomalies = new List<PersistenceAnomaly>();
            long total = 0;
            long records = 0;
            long bytes = 0;
            long limit = Options.ScanSampleSize == 0 ? long.MaxValue : Options.ScanSampleSize;
            await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: true, limit, cancellationToken).ConfigureAwait(false))
            {
                foreach (StreamEntry entry in page)
                {
                    EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                    bytes += result.PayloadBytes;
                    if (result.Record is not null)
                    {
                        records++;
                        continue;
                    }

                    total++;
                    if (anomalies.Count < MaxReportedAnomalies)
                    {
                        anomalies.Add(ToAnomaly(entry, result));
                    }
                }
            }

            // The sample is read newest first; report it in stream order like a file scan.
            anomalies.Reverse();
            _metrics.RecordScan(total);
            return new PersistenceScanReport(BackendName, Keys.Records, anomalies, total, records, bytes);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _metrics.RecordScanError();
            throw Failure("scan", ex);
        }
    }

    /// <summary>
    /// Scans, then applies <paramref name="config"/>: <see cref="PersistenceRecoveryMode.Repair"/> moves
    /// every damaged entry of the whole stream (not only the scan's sample) to the quarantine stream
    /// (<see cref="RedisStreamKeys.Quarantine"/>: original fields under <c>original.</c>, plus
    /// <c>source</c>, <c>source_id</c>, <c>reason</c>, <c>moved_at</c>) and deletes it from the record
    /// stream, in one transaction per batch, so nothing disappears; valid entries are untouched.
    /// <see cref="PersistenceRecoveryMode.Quarantine"/> renames the whole stream, intact, to
    /// <see cref="RedisStreamKeys.QuarantinedStream"/> and lets writes start a fresh one.
    /// <see cref="PersistenceRecoveryMode.Ignore"/> reports only. A verification scan always follows.
    /// </summary>
    /// <param name="config">What to do; <see langword="null"/> means <see cref="PersistenceRecoveryMode.Ignore"/>. Its quarantine directory is not used.</param>
    /// <param name="cancellationToken">Cancels the recovery between batches.</param>
    /// <returns>The recovery report.</returns>
    /// <exception cref="IOException">Redis is unreachable (counted in <c>recovery_errors</c>).</exception>
    public async ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default)
    {
        PersistenceRecoveryMode mode = (config ?? PersistenceRecoveryConfig.Ignore).Mode;
        using Activity? activity = PersistenceActivities.StartRecover(BackendName, Keys.Records, mode);
        try
        {
            PersistenceRecoveryReport report = await RecoverCoreAsync(mode, cancellationToken).ConfigureAwait(false);
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            PersistenceActivities.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<PersistenceRecoveryReport> RecoverCoreAsync(PersistenceRecoveryMode mode, CancellationToken cancellationToken)
    {
        _metrics.RecordRecovery();
        PersistenceScanReport scan;
        try
        {
            scan = await ScanAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _metrics.RecordRecoveryError();
            throw;
        }

        if (mode == PersistenceRecoveryMode.Ignore || !scan.HasAnomalies)
        {
            return new PersistenceRecoveryReport(BackendName, mode, scan, scan, [], [], []);
        }

        try
        {
            var repaired = new List<string>();
            var quarantined = new List<string>();
            var rejected = new List<string>();
            if (mode == PersistenceRecoveryMode.Quarantine)
            {
                quarantined.Add(await QuarantineStreamAsync().ConfigureAwait(false));
            }
            else
            {
                long moved = await MoveDamagedEntriesAsync(cancellationToken).ConfigureAwait(false);
                if (moved > 0)
                {
                    repaired.Add(Keys.Records);
                    rejected.Add(Keys.Quarantine);
                }

                _logger.LogWarning("Redis recovery moved {Count} damaged entries of {Stream} to {Quarantine}.", moved, Keys.Records, Keys.Quarantine);
            }

            PersistenceScanReport verification = await ScanAsync(cancellationToken).ConfigureAwait(false);
            return new PersistenceRecoveryReport(BackendName, mode, scan, verification, repaired, quarantined, rejected);
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is IOException)
        {
            _metrics.RecordRecoveryError();
            throw ex as IOException ?? Failure("recovery", ex);
        }
    }

    /// <summary>
    /// Applies the retention policy physically: reads the whole stream, decides with
    /// <see cref="RetentionEvaluator"/> which records retention drops, and deletes them, moving damaged
    /// entries to the quarantine stream, all in one transaction (Redis applies it entirely or not at all).
    /// Records appended meanwhile are newer than everything read and are kept.
    /// </summary>
    /// <param name="cancellationToken">Cancels the compaction before the transaction is sent.</param>
    /// <returns>Entries and payload bytes before and after.</returns>
    /// <exception cref="IOException">Redis is unreachable (counted in <c>compaction_errors</c>).</exception>
    public async ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken = default)
    {
        using Activity? activity = PersistenceActivities.StartCompact(BackendName, Keys.Records);
        try
        {
            CompactionReport report = await CompactCoreAsync(cancellationToken).ConfigureAwait(false);
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            PersistenceActivities.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<CompactionReport> CompactCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entries = new List<(RedisValue Id, long Bytes)>();
            var candidates = new List<RetentionCandidate>();
            var candidateEntry = new List<int>();
            var damaged = new List<(StreamEntry Entry, EntryDecodeResult Result)>();
            long beforeBytes = 0;
            await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: false, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                foreach (StreamEntry entry in page)
                {
                    EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                    beforeBytes += result.PayloadBytes;
                    entries.Add((entry.Id, result.PayloadBytes));
                    if (result.Record is { } record)
                    {
                        candidates.Add(new RetentionCandidate(record.Timestamp, result.PayloadBytes));
                        candidateEntry.Add(entries.Count - 1);
                    }
                    else
                    {
                        damaged.Add((entry, result));
                    }
                }
            }

            bool[] keep = RetentionEvaluator.Evaluate(candidates.ToArray(), Retention, RetentionEvaluator.UnixNow(_timeProvider));
            var drop = new List<RedisValue>();
            long droppedBytes = 0;
            for (int i = 0; i < keep.Length; i++)
            {
                if (!keep[i])
                {
                    (RedisValue id, long bytes) = entries[candidateEntry[i]];
                    drop.Add(id);
                    droppedBytes += bytes;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (drop.Count > 0 || damaged.Count > 0)
            {
                ITransaction transaction = _database.CreateTransaction();
                var pending = new List<Task>();
                string movedAt = UnixNowText();
                foreach ((StreamEntry entry, EntryDecodeResult result) in damaged)
                {
                    pending.Add(transaction.StreamAddAsync(Keys.Quarantine, QuarantineFields(entry, result, movedAt)));
                    drop.Add(entry.Id);
                    droppedBytes += result.PayloadBytes;
                }

                foreach (RedisValue[] chunk in drop.Chunk(1000))
                {
                    pending.Add(transaction.StreamDeleteAsync(_recordsKey, chunk));
                }

                if (!await transaction.ExecuteAsync().ConfigureAwait(false))
                {
                    throw new IOException($"Redis compaction of {Keys.Records} was not applied: the transaction was aborted.");
                }

                await Task.WhenAll(pending).ConfigureAwait(false);
            }

            _metrics.RecordCompaction();
            return new CompactionReport(BackendName, entries.Count, entries.Count - drop.Count, beforeBytes, beforeBytes - droppedBytes);
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is IOException)
        {
            _metrics.RecordCompactionError();
            throw ex as IOException ?? Failure("compaction", ex);
        }
    }

    /// <inheritdoc/>
    public PersistenceMetricsSnapshot GetMetricsSnapshot() => _metrics.Snapshot();

    /// <inheritdoc/>
    public void ResetMetrics() => _metrics.Reset();

    /// <summary>Publishes the metrics snapshot to <see cref="RedisStreamKeys.Metrics"/> now (a writing backend also publishes it every <see cref="RedisStreamsOptions.MetricsPublishInterval"/>, from its first successful write on).</summary>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>A task that completes when Redis stored the snapshot.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public Task PublishMetricsAsync(CancellationToken cancellationToken = default)
        => RedisMetricsPublisher.PublishAsync(_database, Options, GetMetricsSnapshot(), Options.MetricsPublishInterval, _timeProvider, cancellationToken);

    /// <summary>Stops publishing metrics (after a last publication) and closes the connection when this backend opened it. Later writes are ignored.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_publisher is not null)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsConnection)
        {
            await _connection.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
            _connection.Dispose();
        }
    }

    internal static bool IsCluster(IConnectionMultiplexer connection)
        => connection.GetEndPoints().Any(endPoint => connection.GetServer(endPoint) is { IsConnected: true, ServerType: ServerType.Cluster });

    internal static bool IsRedisFailure(Exception ex) => ex is RedisException or TimeoutException or ObjectDisposedException;

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

        // No async state machine here: StackExchange.Redis completes its tasks with asynchronous
        // continuations, so awaiting each write inside the backend would cost a thread-pool hop per
        // record and halve pipelined throughput. The outcome is recorded when the caller observes it.
        var pending = new PendingWrite(this, add, payload.Length, record.Kind, slab, span);
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

    private void WriteSucceeded(int bytes)
    {
        _metrics.RecordWrite(1, bytes);
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

    private IOException WriteFailed(Exception ex, PersistedRecordKind kind)
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

    private async ValueTask<PersistenceReadResult<T>> ReadAsync<T>(PersistedRecordKind kind, PersistenceQuery? query, CancellationToken cancellationToken)
        where T : PersistedRecord
    {
        try
        {
            // Read newest first: retention keeps a newest suffix of the records that pass the age
            // limit, so once the count or byte limit is exceeded every older entry is dropped and
            // need not be fetched. RetentionEvaluator then decides exactly, as in every backend.
            var records = new List<PersistedRecord?>();
            var candidates = new List<RetentionCandidate>();
            long skipped = 0;
            bool unlimited = Retention.IsUnlimited;
            double now = RetentionEvaluator.UnixNow(_timeProvider);
            double? oldest = Retention.MaxAgeSeconds is { } age ? now - age : null;
            long survivors = 0;
            long survivorBytes = 0;
            bool done = false;
            await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: true, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                foreach (StreamEntry entry in page)
                {
                    if (unlimited && RedisRecordCodec.TryGetDeclaredKind(entry, out PersistedRecordKind declared) && declared != kind)
                    {
                        continue;
                    }

                    EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                    if (result.Record is not { } record)
                    {
                        skipped++;
                        continue;
                    }

                    long bytes = result.PayloadBytes;
                    records.Add(record.Kind == kind ? record : null);
                    candidates.Add(new RetentionCandidate(record.Timestamp, bytes));
                    if (oldest is null || record.Timestamp >= oldest)
                    {
                        survivors++;
                        survivorBytes += bytes;
                        if (survivors > (Retention.MaxRecords ?? long.MaxValue) || survivorBytes > (Retention.MaxTotalBytes ?? long.MaxValue))
                        {
                            done = true;
                            break;
                        }
                    }
                }

                if (done)
                {
                    break;
                }
            }

            records.Reverse();
            candidates.Reverse();
            bool[] keep = unlimited ? [] : RetentionEvaluator.Evaluate(candidates.ToArray(), Retention, now);
            var retained = new List<T>(records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                if ((unlimited || keep[i]) && records[i] is T typed)
                {
                    retained.Add(typed);
                }
            }

            IReadOnlyList<T> result2 = PersistenceQueryEvaluator.Apply(retained, query);
            _metrics.RecordRead(result2.Count);
            if (skipped > 0)
            {
                _metrics.RecordReadErrors(skipped);
            }

            return new PersistenceReadResult<T>(result2, skipped);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _metrics.RecordReadErrors(1);
            throw Failure("read", ex);
        }
    }

    internal async IAsyncEnumerable<StreamEntry[]> PagesAsync(RedisKey key, bool newestFirst, long maxEntries, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RedisValue cursor = newestFirst ? "+" : "-";
        long remaining = maxEntries;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(Options.ReadPageSize, remaining);
            StreamEntry[] page = newestFirst
                ? await _database.StreamRangeAsync(key, "-", cursor, count, Order.Descending).ConfigureAwait(false)
                : await _database.StreamRangeAsync(key, cursor, "+", count, Order.Ascending).ConfigureAwait(false);
            if (page.Length == 0)
            {
                yield break;
            }

            yield return page;
            remaining -= page.Length;
            if (page.Length < count)
            {
                yield break;
            }

            cursor = "(" + (string?)page[^1].Id;
        }
    }

    private async Task<long> MoveDamagedEntriesAsync(CancellationToken cancellationToken)
    {
        long moved = 0;
        var batch = new List<(StreamEntry Entry, EntryDecodeResult Result)>(MoveBatchSize);
        await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: false, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            foreach (StreamEntry entry in page)
            {
                EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                if (result.Record is null)
                {
                    batch.Add((entry, result));
                }
            }

            if (batch.Count >= MoveBatchSize)
            {
                moved += await MoveAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            moved += await MoveAsync(batch).ConfigureAwait(false);
        }

        return moved;
    }

    private async Task<long> MoveAsync(List<(StreamEntry Entry, EntryDecodeResult Result)> batch)
    {
        // Copy and delete in one transaction: an entry is never in both streams or in neither.
        ITransaction transaction = _database.CreateTransaction();
        string movedAt = UnixNowText();
        var pending = new List<Task>(batch.Count + 1);
        foreach ((StreamEntry entry, EntryDecodeResult result) in batch)
        {
            pending.Add(transaction.StreamAddAsync(Keys.Quarantine, QuarantineFields(entry, result, movedAt)));
        }

        pending.Add(transaction.StreamDeleteAsync(_recordsKey, [.. batch.Select(b => b.Entry.Id)]));
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new IOException($"Redis recovery of {Keys.Records} was not applied: the transaction was aborted.");
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return batch.Count;
    }

    private async Task<string> QuarantineStreamAsync()
    {
        long epochMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            string target = Keys.QuarantinedStream(epochMs);
            if (await _database.KeyRenameAsync(_recordsKey, target, When.NotExists).ConfigureAwait(false))
            {
                _logger.LogWarning("Redis recovery quarantined stream {Stream} as {Quarantine}; new records start a fresh stream.", Keys.Records, target);
                return target;
            }

            epochMs++;
        }
    }

    private NameValueEntry[] QuarantineFields(StreamEntry entry, EntryDecodeResult result, string movedAt)
        => RedisRecordCodec.WithOriginal(
            entry,
            new NameValueEntry(RedisEntryFields.Source, Keys.Records),
            new NameValueEntry(RedisEntryFields.SourceId, entry.Id),
            new NameValueEntry(RedisEntryFields.Reason, $"{result.Problem}: {result.Detail}"),
            new NameValueEntry(RedisEntryFields.MovedAt, movedAt));

    private string UnixNowText() => RetentionEvaluator.UnixNow(_timeProvider).ToString("R", CultureInfo.InvariantCulture);

    private PersistenceAnomaly ToAnomaly(StreamEntry entry, EntryDecodeResult result)
        => new(result.Problem ?? PersistenceAnomalyType.UndecodableEntry, Keys.Records, null, null, $"entry {(string?)entry.Id}: {result.Detail}");

    private IOException Failure(string operation, Exception ex)
        => new($"Redis {operation} of {Keys.Records} at {Options.RedactedUrl} failed ({ex.GetType().Name}).", ex);

    /// <summary>
    /// One write in flight: completes with the XADD and records its outcome when observed. A
    /// successful write releases its payload's slab (Redis replied, so the command was sent).
    /// </summary>
    private sealed class PendingWrite(RedisStreamsPersistenceBackend owner, Task<RedisValue> write, int bytes, PersistedRecordKind kind, PayloadSlab? slab, Activity? span) : IValueTaskSource
    {
        // Kept small (56 bytes): one is allocated per append and lives until the append is awaited.
        // The continuation of an await that finds the write pending goes in a separate object.
        private readonly Task<RedisValue> _write = write;
        private readonly Activity? _span = span;
        private readonly PayloadSlab? _slab = slab;
        private readonly int _bytes = bytes;
        private readonly byte _kind = (byte)kind;
        private byte _observed;

        public ValueTaskSourceStatus GetStatus(short token) => _write.Status switch
        {
            TaskStatus.RanToCompletion => ValueTaskSourceStatus.Succeeded,
            TaskStatus.Faulted => ValueTaskSourceStatus.Faulted,
            TaskStatus.Canceled => ValueTaskSourceStatus.Canceled,
            _ => ValueTaskSourceStatus.Pending,
        };

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            var suspension = new Suspension(continuation, state);
            ConfiguredTaskAwaitable<RedisValue>.ConfiguredTaskAwaiter awaiter = _write.ConfigureAwait(false).GetAwaiter();
            if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
            {
                awaiter.OnCompleted(suspension.Resume);
            }
            else
            {
                awaiter.UnsafeOnCompleted(suspension.Resume);
            }
        }

        public void GetResult(short token)
        {
            bool first = Interlocked.Exchange(ref _observed, 1) == 0;
            var kind = (PersistedRecordKind)_kind;
            try
            {
                _write.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                if (first)
                {
                    IOException failure = owner.WriteFailed(ex, kind);
                    PersistenceActivities.Fail(_span, failure);
                    _span?.Dispose();
                    throw failure;
                }

                throw new IOException($"The {PersistedRecordKinds.ToWireName(kind)} record was not stored.", ex);
            }

            if (first)
            {
                _slab?.Release();
                owner.WriteSucceeded(_bytes);
                _span?.Dispose();
            }
        }

        private sealed class Suspension(Action<object?> continuation, object? state)
        {
            public void Resume() => continuation(state);
        }
    }
}
