namespace Papyra.Persistence.Metrics;

/// <summary>The live-metrics side of a file store (<see cref="IPersistenceLiveMetricsSource"/> for the json and rotating backends): the file beside it.</summary>
internal static class LiveMetricsFileSource
{
    public static ValueTask<PersistenceLiveMetrics?> ReadAsync(string storePath)
        => ValueTask.FromResult(PersistenceMetricsFile.TryRead(storePath));

    /// <summary>Leaves a reset request for the running system, when one publishes metrics for this store.</summary>
    public static ValueTask<string?> RequestResetAsync(string storePath)
    {
        if (PersistenceMetricsFile.TryRead(storePath) is null)
        {
            return ValueTask.FromResult<string?>(null);
        }

        PersistenceMetricsFile.RequestReset(storePath);
        return ValueTask.FromResult<string?>(PersistenceMetricsFile.ResetRequestPathFor(storePath));
    }
}
