using System.Text.Json;

namespace Papyra.Persistence;

/// <summary>A stored dead letter: a message that could not be processed.</summary>
public sealed record PersistedDeadLetter : PersistedRecord
{
    /// <summary>Creates a dead-letter record.</summary>
    /// <param name="systemId">The id of the actor system (<c>system_id</c>).</param>
    /// <param name="target">The address the message was sent to (<c>target</c>), when known.</param>
    /// <param name="messageType">The message's type name (<c>message_type</c>).</param>
    /// <param name="payload">The message as JSON (<c>payload</c>); <see langword="null"/> or an undefined element stands for JSON <c>null</c>.</param>
    /// <param name="timestamp">When the message was dead-lettered, in Unix epoch seconds.</param>
    /// <param name="expectsReply">Whether the sender was waiting for a reply (<c>expects_reply</c>).</param>
    public PersistedDeadLetter(string systemId, ActorAddress? target, string messageType, JsonElement? payload, double timestamp, bool expectsReply = false)
        : base(systemId, timestamp)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        Target = target;
        MessageType = messageType;
        _payload = PayloadElements.OrNull(payload);
        ExpectsReply = expectsReply;
    }

    /// <summary>Creates a dead letter read from a store, whose payload text is parsed when first read.</summary>
    internal PersistedDeadLetter(string systemId, ActorAddress? target, string messageType, byte[] payloadUtf8, double timestamp, bool expectsReply)
        : base(systemId, timestamp)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        Target = target;
        MessageType = messageType;
        _storedPayload = payloadUtf8;
        ExpectsReply = expectsReply;
    }

    /// <inheritdoc/>
    public override PersistedRecordKind Kind => PersistedRecordKind.DeadLetter;

    /// <summary>The address the message was sent to (<c>target</c>), when known.</summary>
    public ActorAddress? Target { get; }

    /// <summary>The message's type name (<c>message_type</c>).</summary>
    public string MessageType { get; }

    /// <summary>The message as JSON (<c>payload</c>): a standalone element that stays valid for the record's lifetime.</summary>
    public JsonElement Payload => StoredPayload.Element(ref _storedPayload, _payload);

    /// <summary>The payload's stored JSON text, when the record was read from a store (otherwise empty).</summary>
    internal ReadOnlySpan<byte> StoredPayloadUtf8 => StoredPayload.Utf8(_storedPayload);

    private readonly JsonElement _payload;

    // The stored text of a record read from a store, replaced by text and element once parsed (StoredPayload).
    private object? _storedPayload;

    /// <summary>Whether the sender was waiting for a reply (<c>expects_reply</c>).</summary>
    public bool ExpectsReply { get; }

    /// <summary>Content equality: the same system, timestamp, target, type, reply flag, and a payload with the same JSON content (<see cref="JsonElement.DeepEquals"/>).</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns><see langword="true"/> when both records hold the same fact.</returns>
    public bool Equals(PersistedDeadLetter? other)
        => ReferenceEquals(this, other)
            || (other is not null
                && base.Equals(other)
                && Nullable.Equals(Target, other.Target)
                && string.Equals(MessageType, other.MessageType, StringComparison.Ordinal)
                && ExpectsReply == other.ExpectsReply
                && JsonElement.DeepEquals(Payload, other.Payload));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Target, MessageType, ExpectsReply, PayloadElements.ContentHash(Payload));
}
