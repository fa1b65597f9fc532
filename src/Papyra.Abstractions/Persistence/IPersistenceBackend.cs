namespace Papyra.Persistence;

/// <summary>
/// A store for an actor system's lifecycle facts: events, audits and dead letters.
/// This is the required part of the backend contract; scanning, recovery, compaction and metrics
/// are optional capabilities expressed by <see cref="IPersistenceScanner"/>,
/// <see cref="IPersistenceRecoverer"/>, <see cref="IPersistenceCompactor"/> and
/// <see cref="IPersistenceMetrics"/> (see <see cref="PersistenceBackendCapabilities"/>).
/// </summary>
/// <remarks>
/// Implementations are safe for concurrent use. Reads apply <see cref="Retention"/> logically
/// (records outside the policy are not returned); only compaction removes them physically.
/// Writes after disposal are ignored.
/// </remarks>
public interface IPersistenceBackend : IAsyncDisposable
{
    /// <summary>The backend identifier used in reports: <c>memory</c>, <c>json</c>, <c>rotating</c>, <c>redis</c>, or a third-party name.</summary>
    string Name { get; }

    /// <summary>The retention policy applied to reads and compaction; never <see langword="null"/> (<see cref="RetentionPolicy.Unlimited"/> when none was given).</summary>
    RetentionPolicy Retention { get; }

    /// <summary>Stores a lifecycle event.</summary>
    /// <param name="record">The event.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is as durable as the backend's durability setting promises.</returns>
    ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default);

    /// <summary>Stores an audit snapshot.</summary>
    /// <param name="record">The audit.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is as durable as the backend's durability setting promises.</returns>
    ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default);

    /// <summary>Stores a dead letter.</summary>
    /// <param name="record">The dead letter.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is as durable as the backend's durability setting promises.</returns>
    ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default);

    /// <summary>Makes every completed write durable according to the backend's durability setting.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when buffered writes have been handed to storage.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads stored events, oldest first, after retention and the query's filters.</summary>
    /// <param name="query">Filters; <see langword="null"/> reads everything retention keeps.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matching events and the number of damaged records that were skipped.</returns>
    ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Reads stored audits, oldest first, after retention and the query's filters.</summary>
    /// <param name="query">Filters; <see langword="null"/> reads everything retention keeps.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matching audits and the number of damaged records that were skipped.</returns>
    ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Reads stored dead letters, oldest first, after retention and the query's filters.</summary>
    /// <param name="query">Filters; <see langword="null"/> reads everything retention keeps.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matching dead letters and the number of damaged records that were skipped.</returns>
    ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default);
}
