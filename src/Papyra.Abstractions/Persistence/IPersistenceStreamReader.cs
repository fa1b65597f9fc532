namespace Papyra.Persistence;

/// <summary>
/// Optional capability: reads that scale. Records are streamed, never materialised together, so a
/// tool reads a store far larger than memory; newest first without reading everything; resumable
/// from the position each record carries; and followable as records are appended (like
/// <c>tail -f</c>). Every built-in backend implements it; <see cref="PersistenceStreaming"/> gives a
/// fallback for backends that do not.
/// </summary>
public interface IPersistenceStreamReader
{
    /// <summary>
    /// Streams the records the request selects, applying the backend's retention exactly as the list
    /// reads do. Damaged lines or entries are skipped (a scan reports them).
    /// </summary>
    /// <param name="request">Kinds, filters, limit, order and where to resume.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The records, each with the position just after it.</returns>
    /// <exception cref="PersistencePositionException"><see cref="PersistenceReadRequest.After"/> is a position this store no longer has.</exception>
    IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Yields what <see cref="ReadAsync"/> yields oldest first (the order is always oldest first),
    /// then every record appended afterwards, across rotations, until cancelled. A partially written
    /// last line is never yielded; it is yielded once it is complete.
    /// </summary>
    /// <param name="request">Kinds, filters, how many existing records to yield first (<see cref="PersistenceReadRequest.Limit"/>: the newest N), and where to resume.</param>
    /// <param name="cancellationToken">Ends the follow; the enumeration then completes without an exception.</param>
    /// <returns>The records, each with the position just after it.</returns>
    IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default);

    /// <summary>Counts the valid records per kind after retention, and the damaged ones, without materialising a record.</summary>
    /// <param name="cancellationToken">Stops the count.</param>
    /// <returns>The counts.</returns>
    ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken = default);
}
