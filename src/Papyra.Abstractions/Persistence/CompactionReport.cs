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

    /// <summary>
    /// Damaged lines compaction moved out of the store into sidecar files instead of keeping them
    /// (file backends: <c>&lt;file&gt;.rejected.&lt;epoch_ms&gt;</c>); 0 when the store had none.
    /// They are not counted in <see cref="BeforeRecords"/>, which counts valid records only.
    /// </summary>
    public long RejectedLines { get; init; }

    /// <summary>The sidecar files that received <see cref="RejectedLines"/>, one per damaged file; empty when none.</summary>
    public IReadOnlyList<string> RejectedFiles { get; init; } = [];

    /// <summary>Bytes reclaimed, when both byte counts are known.</summary>
    public long? ReclaimedBytes => BeforeBytes is { } before && AfterBytes is { } after ? before - after : null;
}
