namespace Papyra.Persistence.Redis.Codec;

/// <summary>Field names of stream entries.</summary>
internal static class RedisEntryFields
{
    /// <summary>An optional record kind (<c>event</c>, <c>audit</c>, <c>dead_letter</c>); when present it must match the payload's kind. Papyra itself does not write it.</summary>
    public const string Kind = "kind";

    /// <summary>The record as JSON: Python Papyra's one field.</summary>
    public const string Json = "data";

    /// <summary>The record as a MessagePack map.</summary>
    public const string MessagePack = "msgpack";

    /// <summary>Quarantine and dead-letter entries: the stream the entry came from.</summary>
    public const string Source = "source";

    /// <summary>Quarantine and dead-letter entries: the entry's id in its source stream.</summary>
    public const string SourceId = "source_id";

    /// <summary>Quarantine and dead-letter entries: why it was moved.</summary>
    public const string Reason = "reason";

    /// <summary>Quarantine and dead-letter entries: when it was moved (Unix epoch seconds).</summary>
    public const string MovedAt = "moved_at";

    /// <summary>Quarantine and dead-letter entries: the prefix of the original fields' names.</summary>
    public const string OriginalPrefix = "original.";
}
