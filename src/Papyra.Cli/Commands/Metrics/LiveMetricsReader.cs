using Papyra.Persistence.Configuration;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Commands.Metrics;

/// <summary>Finds the live metrics a running system publishes next to its store.</summary>
internal static class LiveMetricsReader
{
    /// <summary>The published snapshot, or <see langword="null"/> when no running system publishes one (or the backend keeps no files).</summary>
    public static PersistenceLiveMetrics? TryRead(PersistenceBackendSettings store)
        => store.Backend is PersistenceBackendKind.Json or PersistenceBackendKind.Rotating && store.Path is { } path
            ? PersistenceMetricsFile.TryRead(path)
            : null;
}
