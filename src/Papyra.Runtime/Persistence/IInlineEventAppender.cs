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
    /// As <see cref="SerializeEvent(PersistedEvent)"/> for the event <c>new PersistedEvent(systemId, address, eventType, payload, timestamp)</c>,
    /// written into the caller's buffer (after what it holds), which a store may do without creating
    /// that record (the same bytes). Throws (having counted and logged it) when the event cannot be stored.
    /// </summary>
    /// <param name="destination">Where the line goes.</param>
    /// <param name="systemId">The system's id.</param>
    /// <param name="address">The actor.</param>
    /// <param name="eventType">The event type name.</param>
    /// <param name="payload">The payload; <see langword="null"/> for none.</param>
    /// <param name="timestamp">When it happened, in Unix epoch seconds.</param>
    /// <returns>The line's length, newline included.</returns>
    int SerializeEvent(System.Buffers.IBufferWriter<byte> destination, string systemId, ActorAddress address, string eventType, System.Text.Json.JsonElement? payload, double timestamp)
    {
        ReadOnlySpan<byte> line = SerializeEvent(new PersistedEvent(systemId, address, eventType, payload, timestamp));
        System.Buffers.BuffersExtensions.Write(destination, line);
        return line.Length;
    }

    /// <summary>
    /// Appends a line <see cref="SerializeEvent(PersistedEvent)"/> produced. <paramref name="durable"/> completes as
    /// <see cref="IPersistenceBackend.RecordEventAsync"/>'s task would (faulted when the line could
    /// not be written); never throws.
    /// </summary>
    /// <param name="line">The serialised event.</param>
    /// <param name="durable">Completes when the event is as durable as the backend's mode makes it.</param>
    void AppendSerializedEvent(ReadOnlySpan<byte> line, out Task durable);

    /// <summary>
    /// Whether <see cref="AppendSerializedEvent{TState}(ReadOnlySpan{byte}, Action{TState}, TState, out Task)"/>
    /// calls its callback under the lock that orders the store's lines: the actor system then numbers
    /// events there, without a lock of its own (one lock per event instead of two, nested).
    /// </summary>
    bool NumbersUnderItsLock => false;

    /// <summary>
    /// Appends a line like <see cref="AppendSerializedEvent(ReadOnlySpan{byte}, out Task)"/> and,
    /// under the lock that gives the line its place, calls <paramref name="onPlaced"/> with
    /// <paramref name="state"/>, so that what it numbers follows the order of the lines. A line the
    /// store refuses (closed) does not get the call; the caller handles that.
    /// </summary>
    /// <typeparam name="TState">The callback's state.</typeparam>
    /// <param name="line">The serialised event.</param>
    /// <param name="onPlaced">Called once the line has its place.</param>
    /// <param name="state">Its argument.</param>
    /// <param name="durable">As for the other overload.</param>
    void AppendSerializedEvent<TState>(ReadOnlySpan<byte> line, Action<TState> onPlaced, TState state, out Task durable)
    {
        AppendSerializedEvent(line, out durable);
        onPlaced(state);
    }

    /// <summary>
    /// Asks the store to number and order events by the system's own counter, without a lock: from
    /// now on events come through <see cref="AppendNextNumberedEvent"/>, which takes each number from
    /// <paramref name="sequence"/> (nothing else may: the store waits for every number in turn).
    /// </summary>
    /// <param name="sequence">The system's event counter.</param>
    /// <returns>Whether the store takes numbered events; when false, nothing changed.</returns>
    bool TryAttachSequence(EventSequence sequence) => false;

    /// <summary>
    /// Appends an event's line under the next number of the attached counter (see <see cref="TryAttachSequence"/>),
    /// taken right before the line is placed; an empty line passes the number over (an event that could
    /// not be serialised). The store keeps lines in number order. Never throws, never waits for I/O.
    /// </summary>
    /// <param name="line">The serialised event, or empty.</param>
    /// <param name="sequence">The number the event got.</param>
    /// <param name="durable">As for <see cref="AppendSerializedEvent(ReadOnlySpan{byte}, out Task)"/>.</param>
    void AppendNextNumberedEvent(ReadOnlySpan<byte> line, out long sequence, out Task durable) => throw new NotSupportedException();
}
