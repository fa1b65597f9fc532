namespace Papyra.Persistence.Metrics;

/// <summary>
/// A backend through which a tool reads the live metrics a <em>running</em> system publishes for the
/// same store (SPEC §6): a file beside a file store, a hash beside Redis streams. Tools such as
/// <c>papyra metrics</c> open the store read-only and use this instead of knowing each backend.
/// </summary>
public interface IPersistenceLiveMetricsSource
{
    /// <summary>Reads the figures the running system last published.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The figures, or <see langword="null"/> when no running system publishes any for this store.</returns>
    ValueTask<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken = default);

    /// <summary>Asks the running system to zero its counters (it does so at its next publication).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Where the request was left (a file path, a Redis key), or <see langword="null"/> when no running system publishes metrics for this store.</returns>
    ValueTask<string?> RequestMetricsResetAsync(CancellationToken cancellationToken = default);
}
