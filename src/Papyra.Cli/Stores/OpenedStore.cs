using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Stores;

/// <summary>
/// A store a command has opened: the backend to read or repair through, how the store is named in
/// output, and where a running system publishes its live metrics for it. Disposing closes the backend.
/// </summary>
internal abstract class OpenedStore : IAsyncDisposable
{
    /// <summary>The opened backend.</summary>
    public abstract IPersistenceBackend Backend { get; }

    /// <summary>How the store is named in output (never with a password).</summary>
    public abstract StoreView View { get; }

    /// <summary>The live metrics a running system publishes for this store, or <see langword="null"/> when none does.</summary>
    public abstract Task<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken);

    /// <summary>Asks the running system to zero its counters.</summary>
    /// <returns>Where the request was left (a file or a Redis key), or <see langword="null"/> when no running system publishes metrics for this store.</returns>
    public abstract Task<string?> RequestMetricsResetAsync(CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();
}
