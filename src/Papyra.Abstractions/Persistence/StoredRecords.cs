namespace Papyra.Persistence;

/// <summary>
/// Builds records whose payload is kept as the store's JSON text and parsed only when read, and
/// gives that text back to writers. For Papyra's own backends and tools; the payload bytes must be
/// one valid JSON value (the caller has validated the line they come from).
/// </summary>
[PapyraInternal]
public static class StoredRecords
{
    /// <summary>Creates an event whose payload is parsed from <paramref name="payloadUtf8"/> when first read.</summary>
    /// <param name="systemId">The id of the actor system.</param>
    /// <param name="actorAddress">The actor the event is about, when known.</param>
    /// <param name="eventType">The event type name.</param>
    /// <param name="payloadUtf8">One JSON value, or <see langword="null"/> for <c>{}</c>.</param>
    /// <param name="timestamp">When the event happened, in Unix epoch seconds.</param>
    /// <returns>The event.</returns>
    public static PersistedEvent Event(string systemId, ActorAddress? actorAddress, string eventType, byte[]? payloadUtf8, double timestamp)
        => payloadUtf8 is null
            ? new PersistedEvent(systemId, actorAddress, eventType, (System.Text.Json.JsonElement?)null, timestamp)
            : new PersistedEvent(systemId, actorAddress, eventType, payloadUtf8, timestamp);

    /// <summary>Creates a dead letter whose payload is parsed from <paramref name="payloadUtf8"/> when first read.</summary>
    /// <param name="systemId">The id of the actor system.</param>
    /// <param name="target">The address the message was sent to, when known.</param>
    /// <param name="messageType">The message's type name.</param>
    /// <param name="payloadUtf8">One JSON value, or <see langword="null"/> for JSON <c>null</c>.</param>
    /// <param name="timestamp">When the message was dead-lettered, in Unix epoch seconds.</param>
    /// <param name="expectsReply">Whether the sender was waiting for a reply.</param>
    /// <returns>The dead letter.</returns>
    public static PersistedDeadLetter DeadLetter(string systemId, ActorAddress? target, string messageType, byte[]? payloadUtf8, double timestamp, bool expectsReply)
        => payloadUtf8 is null
            ? new PersistedDeadLetter(systemId, target, messageType, (System.Text.Json.JsonElement?)null, timestamp, expectsReply)
            : new PersistedDeadLetter(systemId, target, messageType, payloadUtf8, timestamp, expectsReply);

    /// <summary>An address whose system id the caller has already found valid (<see cref="ActorAddress.IsValidSystemId"/>) and whose id is 1 or more.</summary>
    /// <param name="system">A valid system id.</param>
    /// <param name="id">The actor id, 1 or more.</param>
    /// <returns>The address, built without checking again.</returns>
    public static ActorAddress Address(string system, long id)
    {
        System.Diagnostics.Debug.Assert(ActorAddress.IsValidSystemId(system) && id >= 1, "The caller checks the address.");
        return ActorAddress.Trusted(system, id);
    }

    /// <summary>A stored record whose position of four numbers is made only when asked for.</summary>
    /// <param name="record">The record.</param>
    /// <param name="scheme">The position's scheme.</param>
    /// <param name="a">The position's first number.</param>
    /// <param name="b">The second.</param>
    /// <param name="c">The third.</param>
    /// <param name="d">The fourth.</param>
    /// <returns>The stored record.</returns>
    public static StoredRecord At(PersistedRecord record, string scheme, ulong a, ulong b, ulong c, ulong d)
        => new(record, scheme, a, b, c, d);

    /// <summary>The payload's JSON text as it was stored, when the record was read with it kept (otherwise empty).</summary>
    /// <param name="record">An event or dead letter.</param>
    /// <returns>The UTF-8 JSON text, or an empty span when the record holds a parsed element only.</returns>
    public static ReadOnlySpan<byte> StoredPayloadUtf8(PersistedRecord record) => record switch
    {
        PersistedEvent e => e.StoredPayloadUtf8,
        PersistedDeadLetter d => d.StoredPayloadUtf8,
        _ => default,
    };
}
