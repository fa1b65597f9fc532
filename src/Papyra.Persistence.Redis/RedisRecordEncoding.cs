namespace Papyra.Persistence.Redis;

/// <summary>How records are encoded in stream entries.</summary>
public enum RedisRecordEncoding
{
    /// <summary>
    /// The default: the record as a MessagePack map with the NDJSON field names, in a field named
    /// <c>msgpack</c>. Smaller and faster to encode than JSON.
    /// </summary>
    MessagePack = 0,

    /// <summary>
    /// The record as compact JSON (<c>kind</c> first) in a field named <c>data</c>: the format
    /// Python Papyra reads and writes.
    /// </summary>
    Json = 1,
}
