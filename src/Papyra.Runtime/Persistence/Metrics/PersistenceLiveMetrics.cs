namespace Papyra.Persistence.Metrics;

/// <summary>A metrics snapshot that a running process published beside its store (see <see cref="PersistenceMetricsFile"/>).</summary>
/// <param name="ProcessId">The publishing process.</param>
/// <param name="PublishedAt">When it was published, in Unix epoch seconds.</param>
/// <param name="Age">How long ago it was published, by the reader's clock.</param>
/// <param name="Backend">The publishing backend's identifier (<c>json</c>, <c>rotating</c>).</param>
/// <param name="StorePath">The store the counters belong to.</param>
/// <param name="Snapshot">The counters.</param>
public sealed record PersistenceLiveMetrics(int ProcessId, double PublishedAt, TimeSpan Age, string Backend, string StorePath, PersistenceMetricsSnapshot Snapshot)
{
    /// <summary>
    /// Whether the publishing process was still running on this machine when the snapshot was read.
    /// A snapshot left by a process that has exited holds its last counters but is not live.
    /// (The check is local: a store shared between machines reports another machine's publisher as not running.)
    /// </summary>
    public bool PublisherRunning { get; init; } = true;
}
