namespace Papyra.Persistence;

/// <summary>
/// A backend that can take an actor event on the thread that emitted it, without waiting for I/O.
/// The actor system then serialises each event on its emitting thread and appends it under the
/// lock that numbers events, so the store is in sequence order without a hand-off to a writer loop.
/// </summary>
internal interface IInlineEventAppender
{
    /// <summary>Whether this instance appends inline; fixed for its lifetime.</summary>
    bool AppendsInline { get; }

    /// <summary>
    /// Serialises an event into the calling thread's buffer; the bytes stay valid until the thread
    /// serialises again. Throws (having counted and logged it) when the event cannot be stored.
    /// </summary>
    /// <param name="record">The event.</param>
    /// <returns>The line, newline included.</returns>
    ReadOnlySpan<byte> SerializeEvent(PersistedEvent record);

    /// <summary>
    /// Appends a line <see cref="SerializeEvent"/> produced. <paramref name="durable"/> completes as
    /// <see cref="IPersistenceBackend.RecordEventAsync"/>'s task would (faulted when the line could
    /// not be written); never throws.
    /// </summary>
    /// <param name="line">The serialised event.</param>
    /// <param name="durable">Completes when the event is as durable as the backend's mode makes it.</param>
    void AppendSerializedEvent(ReadOnlySpan<byte> line, out Task durable);
}
