using System.Text.Json;

namespace Papyra.Persistence;

/// <summary>A stored lifecycle event, such as <c>ActorStarted</c> or <c>ActorCrashed</c>.</summary>
public sealed record PersistedEvent : PersistedRecord
{
    /// <summary>Creates an event record.</summary>
    /// <param name="systemId">The id of the actor system (<c>system_id</c>).</param>
    /// <param name="actorAddress">The actor the event is about (<c>actor_address</c>), when known.</param>
    /// <param name="eventType">The event type name (<c>event_type</c>), for example <c>ActorStarted</c>.</param>
    /// <param name="payload">Event details (<c>payload</c>); a JSON object. <see langword="null"/> or an undefined element stands for <c>{}</c>.</param>
    /// <param name="timestamp">When the event happened, in Unix epoch seconds.</param>
    public PersistedEvent(string systemId, ActorAddress? actorAddress, string eventType, JsonElement? payload, double timestamp)
        : base(systemId, timestamp)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ActorAddress = actorAddress;
        EventType = eventType;
        _payload = PayloadElements.OrEmptyObject(payload);
    }

    /// <summary>Creates an event read from a store, whose payload text is parsed when first read.</summary>
    internal PersistedEvent(string systemId, ActorAddress? actorAddress, string eventType, byte[] payloadUtf8, double timestamp)
        : base(systemId, timestamp)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ActorAddress = actorAddress;
        EventType = eventType;
        _storedPayload = payloadUtf8;
    }

    /// <inheritdoc/>
    public override PersistedRecordKind Kind => PersistedRecordKind.Event;

    /// <summary>The actor the event is about (<c>actor_address</c>), when known.</summary>
    public ActorAddress? ActorAddress { get; }

    /// <summary>The event type name (<c>event_type</c>).</summary>
    public string EventType { get; }

    /// <summary>Event details (<c>payload</c>): a standalone JSON element that stays valid for the record's lifetime.</summary>
    public JsonElement Payload => StoredPayload.Element(ref _storedPayload, _payload);

    /// <summary>The payload's stored JSON text, when the record was read from a store (otherwise empty).</summary>
    internal ReadOnlySpan<byte> StoredPayloadUtf8 => StoredPayload.Utf8(_storedPayload);

    private readonly JsonElement _payload;

    // The stored text of a record read from a store, replaced by text and element once parsed (StoredPayload).
    private object? _storedPayload;

    /// <summary>Content equality: the same system, timestamp, actor, type, and a payload with the same JSON content (<see cref="JsonElement.DeepEquals"/>).</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns><see langword="true"/> when both records hold the same fact.</returns>
    public bool Equals(PersistedEvent? other)
        => ReferenceEquals(this, other)
            || (other is not null
                && base.Equals(other)
                && Nullable.Equals(ActorAddress, other.ActorAddress)
                && string.Equals(EventType, other.EventType, StringComparison.Ordinal)
                && JsonElement.DeepEquals(Payload, other.Payload));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), ActorAddress, EventType, PayloadElements.ContentHash(Payload));
}
