using Papyra.Persistence.Metrics;
using Papyra.Persistence.Redis.Metrics;

namespace Papyra.Persistence.Redis;

/// <summary>The live metrics a running system publishes in its metrics hash, read by tools through the backend.</summary>
public sealed partial class RedisStreamsPersistenceBackend
{
    /// <inheritdoc/>
    public async ValueTask<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken = default)
    {
        RedisLiveMetrics? live = await RedisStreamsStore
            .ReadLiveMetricsAsync(_connection, Options, _timeProvider, cancellationToken)
            .ConfigureAwait(false);
        return live is null
            ? null
            : new PersistenceLiveMetrics(
                live.ProcessId,
                live.PublishedAt.ToUnixTimeMilliseconds() / 1000.0,
                live.Age,
                BackendName,
                Keys.Records,
                live.Snapshot);
    }

    /// <inheritdoc/>
    public async ValueTask<string?> RequestMetricsResetAsync(CancellationToken cancellationToken = default)
        => await RedisStreamsStore.RequestMetricsResetAsync(_connection, Options, _timeProvider, cancellationToken).ConfigureAwait(false)
            ? Keys.Metrics
            : null;
}
