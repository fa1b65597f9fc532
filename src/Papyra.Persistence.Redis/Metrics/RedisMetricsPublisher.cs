using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence.Retention;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Metrics;

/// <summary>
/// Publishes a backend's metrics snapshot into a Redis hash (<see cref="RedisStreamKeys.Metrics"/>)
/// at a fixed interval, so <c>papyra metrics persistence --backend redis</c> in another process shows
/// live figures (read them with <see cref="RedisStreamsStore.ReadLiveMetricsAsync"/>).
/// <see cref="RedisStreamsPersistenceBackend"/> runs one by itself when
/// <see cref="RedisStreamsOptions.MetricsPublishInterval"/> is set.
/// </summary>
/// <remarks>
/// The hash holds one field per counter (named as in <see cref="PersistenceMetricNames"/>) plus
/// <c>published_at</c> (Unix epoch seconds), <c>system_id</c>, <c>backend</c>, <c>process_id</c> and <c>interval_seconds</c>.
/// It expires after three intervals (at least 15 s) without a publication, so a stopped system's
/// figures do not pass for live ones. Publication failures are logged, never thrown.
/// </remarks>
public sealed class RedisMetricsPublisher : IAsyncDisposable
{
    /// <summary>The hash field holding the publication time in Unix epoch seconds.</summary>
    public const string PublishedAtField = "published_at";

    /// <summary>The hash field holding the publishing system's id.</summary>
    public const string SystemIdField = "system_id";

    /// <summary>The hash field holding the backend identifier.</summary>
    public const string BackendField = "backend";

    /// <summary>The hash field holding the publishing process's id.</summary>
    public const string ProcessIdField = "process_id";

    /// <summary>The hash field a tool sets (see <see cref="RedisStreamsStore.RequestMetricsResetAsync"/>) to ask the running system to reset its counters.</summary>
    public const string ResetRequestedField = "reset_requested";

    /// <summary>The hash field holding the publication interval in seconds.</summary>
    public const string IntervalField = "interval_seconds";

    private readonly IDatabase _database;
    private readonly RedisStreamsOptions _options;
    private readonly IPersistenceMetrics _source;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;
    private int _disposed;

    /// <summary>Creates a publisher; call <see cref="Start"/> to begin publishing.</summary>
    /// <param name="connection">The Redis connection.</param>
    /// <param name="options">Where to publish (key prefix, system id, database).</param>
    /// <param name="source">Whose metrics to publish.</param>
    /// <param name="interval">How often to publish.</param>
    /// <param name="logger">Where failures are logged; none by default.</param>
    /// <param name="timeProvider">The clock for the interval and the publication time; the system clock by default.</param>
    public RedisMetricsPublisher(IConnectionMultiplexer connection, RedisStreamsOptions options, IPersistenceMetrics source, TimeSpan interval, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _database = connection.GetDatabase(options.Database);
        _options = options;
        _source = source;
        _interval = interval;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Whether <see cref="Start"/> has been called.</summary>
    public bool IsStarted => Volatile.Read(ref _started) != 0;

    /// <summary>
    /// Starts publishing: once now, then every interval, until disposed. Before each publication a
    /// pending reset request (<see cref="ResetRequestedField"/>) is honoured. Calling it again, or after disposal, does nothing.
    /// </summary>
    public void Start()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Writes one snapshot into the metrics hash and refreshes its expiry.</summary>
    /// <param name="database">The Redis database.</param>
    /// <param name="options">Where to publish.</param>
    /// <param name="snapshot">The counters.</param>
    /// <param name="interval">The publication interval, which sets the expiry; <see langword="null"/> for no expiry.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>A task that completes when Redis stored the snapshot.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    internal static async Task PublishAsync(IDatabase database, RedisStreamsOptions options, PersistenceMetricsSnapshot snapshot, TimeSpan? interval, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, long> counters = snapshot.ToDictionary();
        var fields = new HashEntry[counters.Count + 5];
        int i = 0;
        foreach (KeyValuePair<string, long> counter in counters)
        {
            fields[i++] = new HashEntry(counter.Key, counter.Value);
        }

        double now = RetentionEvaluator.UnixNow(timeProvider ?? TimeProvider.System);
        fields[i++] = new HashEntry(PublishedAtField, now.ToString("R", CultureInfo.InvariantCulture));
        fields[i++] = new HashEntry(SystemIdField, options.SystemId);
        fields[i++] = new HashEntry(BackendField, RedisBackendNames.Backend);
        fields[i++] = new HashEntry(ProcessIdField, Environment.ProcessId);
        fields[i] = new HashEntry(IntervalField, (interval ?? TimeSpan.Zero).TotalSeconds.ToString("R", CultureInfo.InvariantCulture));

        string key = options.Keys.Metrics;
        ITransaction transaction = database.CreateTransaction();
        Task set = transaction.HashSetAsync(key, fields);
        Task<bool> expire = interval is { } every
            ? transaction.KeyExpireAsync(key, TimeSpan.FromTicks(Math.Max(every.Ticks * 3, TimeSpan.FromSeconds(15).Ticks)))
            : transaction.KeyPersistAsync(key);
        try
        {
            Task<bool> execute = transaction.ExecuteAsync();
            await (cancellationToken.CanBeCanceled ? execute.WaitAsync(cancellationToken) : execute).ConfigureAwait(false);
            await Task.WhenAll(set, expire).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw new IOException($"Publishing metrics to {key} at {options.RedactedUrl} failed ({ex.GetType().Name}).", ex);
        }
    }

    /// <summary>Stops publishing after one last publication (best effort).</summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
            await TryPublishAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _timeProvider);
        try
        {
            do
            {
                await TryPublishAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal stops the loop.
        }
    }

    private async Task TryPublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            string key = _options.Keys.Metrics;
            if (await _database.HashExistsAsync(key, ResetRequestedField).ConfigureAwait(false))
            {
                _source.ResetMetrics();
                await _database.HashDeleteAsync(key, ResetRequestedField).ConfigureAwait(false);
                _logger.LogInformation("Papyra persistence metrics of {SystemId} were reset on request.", _options.SystemId);
            }

            await PublishAsync(_database, _options, _source.GetMetricsSnapshot(), _interval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            _logger.LogDebug(ex, "Publishing Papyra metrics to {Key} failed; retrying at the next interval.", _options.Keys.Metrics);
        }
        catch (IOException ex)
        {
            _logger.LogDebug(ex, "Publishing Papyra metrics to {Key} failed; retrying at the next interval.", _options.Keys.Metrics);
        }
    }
}
