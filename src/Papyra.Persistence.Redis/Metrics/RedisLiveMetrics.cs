namespace Papyra.Persistence.Redis.Metrics;

/// <summary>A metrics snapshot published by a running system into Redis (see <see cref="RedisMetricsPublisher"/>).</summary>
/// <param name="SystemId">The publishing system's id.</param>
/// <param name="ProcessId">The publishing process's id on its machine (0 when not published).</param>
/// <param name="Snapshot">The counters.</param>
/// <param name="PublishedAt">When they were published.</param>
/// <param name="Age">How old they are by the reader's clock.</param>
public sealed record RedisLiveMetrics(string SystemId, int ProcessId, PersistenceMetricsSnapshot Snapshot, DateTimeOffset PublishedAt, TimeSpan Age);
