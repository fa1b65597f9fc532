using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Metrics;

namespace Papyra.Cli.Stores;

/// <summary>
/// One system's streams in Redis (<c>--backend redis</c>), read through
/// <see cref="RedisStreamsPersistenceBackend"/>. Output names the record stream as the path and the
/// server by its redacted URL; live metrics come from the system's metrics hash.
/// </summary>
internal sealed class RedisOpenedStore : OpenedStore
{
    private readonly RedisStreamsPersistenceBackend _backend;
    private readonly RedisStreamsOptions _options;

    private RedisOpenedStore(RedisStreamsPersistenceBackend backend, RedisStreamsOptions options)
    {
        _backend = backend;
        _options = options;
        View = new StoreView(RedisStreamsPersistenceBackend.BackendName, backend.Keys.Records, options.RedactedUrl);
    }

    public override IPersistenceBackend Backend => _backend;

    public override StoreView View { get; }

    /// <summary>Connects to Redis; an unreachable server is an <see cref="IOException"/> naming the redacted URL.</summary>
    public static async Task<OpenedStore> OpenAsync(ResolvedStore store, CancellationToken cancellationToken)
    {
        RedisStreamsOptions options = Options(store);
        RedisStreamsPersistenceBackend backend = await RedisStreamsPersistenceBackend
            .ConnectAsync(options, logger: null, timeProvider: null, cancellationToken)
            .ConfigureAwait(false);
        return new RedisOpenedStore(backend, options);
    }

    public override async Task<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken)
    {
        RedisLiveMetrics? live = await RedisStreamsStore
            .ReadLiveMetricsAsync(_backend.Connection, _options, timeProvider: null, cancellationToken)
            .ConfigureAwait(false);
        return live is null
            ? null
            : new PersistenceLiveMetrics(
                live.ProcessId,
                live.PublishedAt.ToUnixTimeMilliseconds() / 1000.0,
                live.Age,
                RedisStreamsPersistenceBackend.BackendName,
                _backend.Keys.Records,
                live.Snapshot);
    }

    public override async Task<string?> RequestMetricsResetAsync(CancellationToken cancellationToken)
        => await RedisStreamsStore.RequestMetricsResetAsync(_backend.Connection, _options, timeProvider: null, cancellationToken).ConfigureAwait(false)
            ? _backend.Keys.Metrics
            : null;

    public override ValueTask DisposeAsync() => _backend.DisposeAsync();

    private static RedisStreamsOptions Options(ResolvedStore store)
    {
        PersistenceBackendSettings settings = store.Settings;
        string url = settings.RedisUrl
            ?? throw new CliUsageException(
                $"The redis backend needs a server URL; give one with --redis-url, the config key 'redis_url' or {EnvironmentStoreLayer.RedisUrl}.");
        try
        {
            RedisStreamsOptions options = RedisStreamsOptions.FromUrl(url) with
            {
                SystemId = store.RedisSystemId ?? RedisStreamsOptions.DefaultSystemId,
                KeyPrefix = store.RedisKeyPrefix ?? RedisStreamsOptions.DefaultKeyPrefix,
                TlsCaCertificatePath = store.RedisTlsCa,
                Retention = settings.Retention,

                // The CLI reads another process's streams: it never publishes metrics over the
                // running system's, and an operator's scan checks every entry, not a sample.
                MetricsPublishInterval = null,
                ScanSampleSize = 0,
            };
            options.Validate();
            return options;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw new CliUsageException(SecretRedaction.Redact(exception.Message.Split(" (Parameter", 2)[0]) ?? "Invalid Redis settings.", exception);
        }
    }
}
