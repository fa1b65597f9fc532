namespace Papyra.Persistence;

/// <summary>
/// A backend that can take an actor event on the thread that emitted it: serialised and buffered
/// without waiting for I/O, so the actor system appends its lifecycle events in sequence order
/// under the lock that numbers them instead of handing each one to a background writer.
/// </summary>
internal interface IInlineEventAppender
{
    /// <summary>
    /// Appends the event now when that cannot wait for I/O. <paramref name="durable"/> completes as
    /// <see cref="IPersistenceBackend.RecordEventAsync"/>'s task would (faulted when the record
    /// could not be written). Returns <see langword="false"/>, having written nothing, when the
    /// event must take the asynchronous path instead (maintenance holds the store, or appending
    /// would do I/O on this thread).
    /// </summary>
    /// <param name="record">The event.</param>
    /// <param name="durable">Completes when the event is as durable as the backend's mode makes it.</param>
    /// <returns>Whether the event was taken.</returns>
    bool TryAppendEventInline(PersistedEvent record, out Task durable);
}
