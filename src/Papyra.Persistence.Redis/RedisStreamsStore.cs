using System.Globalization;
using Papyra.Persistence.Redis.Connection;
using Papyra.Persistence.Redis.Metrics;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>
/// Operations on a Redis store as a whole, for tools such as the CLI: connect, list the systems
/// that write under a prefix, read a running system's live metrics.
/// </summary>
public static class RedisStreamsStore
{
    /// <summary>
    /// Opens a connection with Papyra's settings: fail-fast writes while disconnected, background
    /// reconnection every <see cref="RedisStreamsOptions.ReconnectInterval"/>, the options' timeouts, TLS and credentials.
    /// </summary>
    /// <param name="options">The server settings.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connection; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="IOException">Redis is unreachable (the CLI's exit code 74); the message redacts the password.</exception>
    public static async Task<IConnectionMultiplexer> ConnectAsync(RedisStreamsOptions options, CancellationToken cancellationToken = default)
        => await RedisConnectionFactory.ConnectAsync(options, requireConnection: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Lists the ids of the systems that have a record stream under <paramref name="keyPrefix"/>, sorted.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="keyPrefix">The key prefix (<c>papyra</c> by default).</param>
    /// <param name="database">The Redis database.</param>
    /// <param name="cancellationToken">Cancels the listing between pages.</param>
    /// <returns>The system ids.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public static async Task<IReadOnlyList<string>> ListSystemIdsAsync(IConnectionMultiplexer connection, string keyPrefix = RedisStreamsOptions.DefaultKeyPrefix, int database = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        RedisStreamKeys.ValidatePrefix(keyPrefix);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            // Both layouts (prefix:system:records and prefix:{system}:records), on every master of a cluster.
            foreach (System.Net.EndPoint endPoint in connection.GetEndPoints())
            {
                IServer server = connection.GetServer(endPoint);
                if (!server.IsConnected || server.IsReplica)
                {
                    continue;
                }

                await foreach (RedisKey key in server.KeysAsync(database, $"{keyPrefix}:*:{RedisStreamKeys.RecordsSuffix}", pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (RedisStreamKeys.TryParseRecords(key.ToString(), keyPrefix, out string systemId, out _))
                    {
                        ids.Add(systemId);
                    }
                }
            }
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw new IOException($"Listing Papyra systems under '{keyPrefix}' failed ({ex.GetType().Name}).", ex);
        }

        return [.. ids];
    }

    /// <summary>
    /// Reads the metrics snapshot a running system published (see <see cref="RedisMetricsPublisher"/>).
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="options">Which system (key prefix, system id, database).</param>
    /// <param name="timeProvider">The clock for the snapshot's age; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>The snapshot, or <see langword="null"/> when no running system published one recently.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public static async Task<RedisLiveMetrics?> ReadLiveMetricsAsync(IConnectionMultiplexer connection, RedisStreamsOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        HashEntry[] fields;
        try
        {
            Task<HashEntry[]> read = connection.GetDatabase(options.Database).HashGetAllAsync(options.Keys.Metrics);
            fields = await (cancellationToken.CanBeCanceled ? read.WaitAsync(cancellationToken) : read).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw new IOException($"Reading live metrics from {options.Keys.Metrics} at {options.RedactedUrl} failed ({ex.GetType().Name}).", ex);
        }

        var values = fields.ToDictionary(f => (string)f.Name!, f => f.Value, StringComparer.Ordinal);
        if (!values.ContainsKey(RedisMetricsPublisher.PublishedAtField))
        {
            return null;
        }

        long Counter(string name) => values.TryGetValue(name, out RedisValue v) && v.TryParse(out long n) ? n : 0;
        var snapshot = new PersistenceMetricsSnapshot
        {
            RecordsWritten = Counter(PersistenceMetricNames.RecordsWritten),
            BytesWritten = Counter(PersistenceMetricNames.BytesWritten),
            WriteErrors = Counter(PersistenceMetricNames.WriteErrors),
            RecordsRead = Counter(PersistenceMetricNames.RecordsRead),
            ReadErrors = Counter(PersistenceMetricNames.ReadErrors),
            Scans = Counter(PersistenceMetricNames.Scans),
            ScanErrors = Counter(PersistenceMetricNames.ScanErrors),
            AnomaliesDetected = Counter(PersistenceMetricNames.AnomaliesDetected),
            Recoveries = Counter(PersistenceMetricNames.Recoveries),
            RecoveryErrors = Counter(PersistenceMetricNames.RecoveryErrors),
            Compactions = Counter(PersistenceMetricNames.Compactions),
            CompactionErrors = Counter(PersistenceMetricNames.CompactionErrors),
            Rotations = Counter(PersistenceMetricNames.Rotations),
            RotationDroppedRecords = Counter(PersistenceMetricNames.RotationDroppedRecords),
        };
        double publishedAt = values.TryGetValue(RedisMetricsPublisher.PublishedAtField, out RedisValue at)
            && double.TryParse((string?)at, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : 0;
        DateTimeOffset published = DateTimeOffset.UnixEpoch.AddSeconds(publishedAt);
        TimeSpan age = (timeProvider ?? TimeProvider.System).GetUtcNow() - published;
        int processId = values.TryGetValue(RedisMetricsPublisher.ProcessIdField, out RedisValue pid) && pid.TryParse(out int parsedPid) ? parsedPid : 0;
        return new RedisLiveMetrics(options.SystemId, processId, snapshot, published, age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }

    /// <summary>
    /// Asks the running system that publishes into <paramref name="options"/>' metrics hash to reset its
    /// counters (<c>papyra metrics reset --backend redis</c>); it does so before its next publication.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="options">Which system (key prefix, system id, database).</param>
    /// <param name="timeProvider">The clock for the request time; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns><see langword="true"/> when a running system's live metrics were found and the request was left for it; <see langword="false"/> when no system publishes there.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public static async Task<bool> RequestMetricsResetAsync(IConnectionMultiplexer connection, RedisStreamsOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        IDatabase database = connection.GetDatabase(options.Database);
        string key = options.Keys.Metrics;
        try
        {
            // Only where a live system publishes: the request must not create a hash nobody reads.
            Task<bool> exists = database.HashExistsAsync(key, RedisMetricsPublisher.PublishedAtField);
            if (!await (cancellationToken.CanBeCanceled ? exists.WaitAsync(cancellationToken) : exists).ConfigureAwait(false))
            {
                return false;
            }

            double now = Papyra.Persistence.Retention.RetentionEvaluator.UnixNow(timeProvider ?? TimeProvider.System);
            await database.HashSetAsync(key, RedisMetricsPublisher.ResetRequestedField, now.ToString("R", CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw new IOException($"Requesting a metrics reset at {key} on {options.RedactedUrl} failed ({ex.GetType().Name}).", ex);
        }
    }
}
