namespace Papyra.Persistence;

/// <summary>The records a read returned, with a count of the damaged records it had to skip.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Records">The records, oldest first.</param>
/// <param name="SkippedRecords">How many damaged or unreadable records of the store were skipped by this read.</param>
public sealed record PersistenceReadResult<T>(IReadOnlyList<T> Records, long SkippedRecords)
    where T : PersistedRecord;
