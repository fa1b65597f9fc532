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

    /// <summary>
    /// Whether <see cref="AppendSerializedEvent(ReadOnlySpan{byte}, Action{ActorEvent}, ActorEvent, out Task)"/>
    /// numbers an event under the lock that orders the store's lines: the actor system then appends
    /// without a lock of its own (one lock per event instead of two, nested).
    /// </summary>
    bool NumbersUnderItsLock => false;

    /// <summary>
    /// Appends a line like <see cref="AppendSerializedEvent(ReadOnlySpan{byte}, out Task)"/> and,
    /// under the lock that gives the line its place, calls <paramref name="number"/> with
    /// <paramref name="actorEvent"/>, so that event numbers follow the order of the lines. A line the
    /// store refuses (closed) is not numbered here; the caller numbers it.
    /// </summary>
    /// <param name="line">The serialised event.</param>
    /// <param name="number">Numbers the event.</param>
    /// <param name="actorEvent">The event the line is.</param>
    /// <param name="durable">As for the other overload.</param>
    void AppendSerializedEvent(ReadOnlySpan<byte> line, Action<ActorEvent> number, ActorEvent actorEvent, out Task durable)
    {
        AppendSerializedEvent(line, out durable);
        number(actorEvent);
    }
}
