using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Redis.Connection;
using Papyra.Persistence.Redis.Consumers;
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
/// (<c>records_written</c> and <c>bytes_written</c>, or <c>write_errors</c>) is recorded when Redis
/// answers, whether or not the returned task is ever awaited.
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
    private readonly Action _settleCompleted;

    // Appends in flight, oldest first: a linked queue that appending threads add to without a lock
    // (_tail) and the one settling pass takes from (_settled, the last append it settled, or a placeholder).
    private readonly PendingAppend[] _settling = new PendingAppend[SettleBatch];
    private PendingAppend _settled;
    private PendingAppend _tail;
    private int _watching;
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

        _settleCompleted = SettleCompleted;
        _settled = PendingAppend.Head(this);
        _tail = _settled;
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

    private IOException Failure(string operation, Exception ex)
        => new($"Redis {operation} of {Keys.Records} at {Options.RedactedUrl} failed ({ex.GetType().Name}).", ex);
}
