namespace Papyra.Persistence;

/// <summary>
/// What a streaming read passed over without yielding: damaged lines or entries that are not
/// records (a scan reports them). Give one in <see cref="PersistenceReadRequest.Statistics"/> and read
/// it once the enumeration ended; a backend adds to it as it reads. Thread-safe.
/// </summary>
public sealed class PersistenceReadStatistics
{
    private long _skipped;

    /// <summary>Damaged lines or entries skipped so far.</summary>
    public long SkippedRecords => Interlocked.Read(ref _skipped);

    /// <summary>Counts one skipped line or entry (called by backends).</summary>
    public void RecordSkipped() => Interlocked.Increment(ref _skipped);
}
