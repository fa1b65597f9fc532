namespace Papyra.Persistence;

/// <summary>The result of a compaction.</summary>
/// <param name="Backend">The backend identifier.</param>
/// <param name="BeforeRecords">Records stored before.</param>
/// <param name="AfterRecords">Records stored after.</param>
/// <param name="BeforeBytes">Bytes stored before, when the backend measures bytes.</param>
/// <param name="AfterBytes">Bytes stored after, when the backend measures bytes.</param>
public sealed record CompactionReport(string Backend, long BeforeRecords, long AfterRecords, long? BeforeBytes = null, long? AfterBytes = null)
{
    /// <summary>Records removed (<c>BeforeRecords - AfterRecords</c>).</summary>
    public long RemovedRecords => BeforeRecords - AfterRecords;

    /// <summary>Bytes reclaimed, when both byte counts are known.</summary>
    public long? ReclaimedBytes => BeforeBytes is { } before && AfterBytes is { } after ? before - after : null;
}
