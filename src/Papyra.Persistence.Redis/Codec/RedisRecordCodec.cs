using System.Buffers;
using System.Text.Json;
using MessagePack;
using Papyra.Persistence.Serialization;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>Encodes records into stream entry fields and decodes entries back, classifying damage.</summary>
internal static class RedisRecordCodec
{
    private static readonly RedisValue MessagePackField = RedisEntryFields.MessagePack;
    private static readonly RedisValue JsonField = RedisEntryFields.Json;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = RecordJsonWriter.Escaper };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Encodes a record as one entry field: <c>msgpack</c> or <c>data</c> (JSON). One field keeps
    /// entries small and matches Python Papyra's entry shape exactly in the JSON encoding.
    /// </summary>
    /// <remarks>
    /// The payload is an exact-size array of its own: StackExchange.Redis holds the value until the
    /// command is written to the socket, which for a pipelined append is after this returns.
    /// </remarks>
    public static RedisValue Encode(PersistedRecord record, RedisRecordEncoding encoding, out byte[] payload)
    {
        EncodeBuffer buffer = EncodeBuffer.Rent();
        RedisValue field = EncodeInto(buffer, record, encoding);

        payload = buffer.ToArray();
        return field;
    }

    /// <summary>
    /// Encodes a record for an append: as <see cref="Encode"/>, written straight into this thread's
    /// <see cref="PayloadSlab"/> (an array of its own when it is large), so the entry's bytes are not
    /// copied again before StackExchange.Redis writes them to the socket.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="encoding">The encoding.</param>
    /// <param name="payload">The payload, valid until <paramref name="slab"/> is released.</param>
    /// <param name="slab">The slab holding the payload, to release once Redis acknowledged the entry; <see langword="null"/> when the payload has its own array.</param>
    /// <returns>The field name.</returns>
    public static RedisValue EncodeForAppend(PersistedRecord record, RedisRecordEncoding encoding, out ReadOnlyMemory<byte> payload, out PayloadSlab? slab)
    {
        EncodeBuffer buffer = EncodeBuffer.Rent();
        PayloadSlab.BeginEntry(buffer);
        RedisValue field = EncodeInto(buffer, record, encoding);
        payload = PayloadSlab.Commit(buffer, out slab);
        return field;
    }

    private static RedisValue EncodeInto(EncodeBuffer buffer, PersistedRecord record, RedisRecordEncoding encoding)
    {
        if (encoding == RedisRecordEncoding.MessagePack)
        {
            MessagePackRecordWriter.Write(buffer, record);
            return MessagePackField;
        }

        RecordJsonWriter.WriteObject(buffer, record);
        return JsonField;
    }

    /// <summary>Encodes a record as the fields of a stream entry.</summary>
    public static NameValueEntry[] EncodeEntry(PersistedRecord record, RedisRecordEncoding encoding, out int payloadBytes)
    {
        RedisValue field = Encode(record, encoding, out byte[] payload);
        payloadBytes = payload.Length;
        return [new NameValueEntry(field, payload)];
    }

    /// <summary>
    /// Reads an entry's record kind without decoding the record: from a <c>kind</c> field when the
    /// entry has one, else from the head of a MessagePack payload (the writer puts <c>kind</c> first).
    /// </summary>
    public static bool TryGetDeclaredKind(StreamEntry entry, out PersistedRecordKind kind)
    {
        RedisValue declared = entry[RedisEntryFields.Kind];
        if (!declared.IsNull)
        {
            return PersistedRecordKinds.TryParse((string?)declared, out kind);
        }

        RedisValue messagePack = entry[RedisEntryFields.MessagePack];
        if (!messagePack.IsNull)
        {
            try
            {
                var reader = new MessagePackReader((ReadOnlyMemory<byte>)messagePack);
                if (reader.NextMessagePackType == MessagePackType.Map && reader.ReadMapHeader() > 0
                    && reader.NextMessagePackType == MessagePackType.String && reader.ReadString() == RecordFieldNames.Kind
                    && reader.NextMessagePackType == MessagePackType.String)
                {
                    return PersistedRecordKinds.TryParse(reader.ReadString(), out kind);
                }
            }
            catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException)
            {
                // Undecodable: let the full decoder classify it.
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Decodes an entry into a record, or says why it cannot.</summary>
    public static EntryDecodeResult Decode(StreamEntry entry)
    {
        if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
        {
            return EntryDecodeResult.Failed(PersistenceAnomalyType.UndecodableEntry, "the entry has no fields", 0);
        }

        RedisValue messagePack = RedisValue.Null;
        RedisValue json = RedisValue.Null;
        RedisValue declaredKind = RedisValue.Null;
        foreach (NameValueEntry field in entry.Values)
        {
            string? name = field.Name;
            switch (name)
            {
                case RedisEntryFields.MessagePack: messagePack = field.Value; break;
                case RedisEntryFields.Json: json = field.Value; break;
                case RedisEntryFields.Kind: declaredKind = field.Value; break;
            }
        }

        byte[] payload;
        ReadOnlySpan<byte> document;
        if (!messagePack.IsNull)
        {
            payload = (byte[])messagePack!;
            ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
            buffer.ResetWrittenCount();
            Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer, JsonOptions);
            writer.Reset(buffer);
            try
            {
                MessagePackJsonTranscoder.Transcode(payload, writer);
                writer.Flush();
            }
            catch (FormatException ex)
            {
                return EntryDecodeResult.Failed(PersistenceAnomalyType.UndecodableEntry, ex.Message, payload.Length);
            }

            document = buffer.WrittenSpan;
        }
        else if (!json.IsNull)
        {
            payload = (byte[])json!;
            document = payload;
        }
        else
        {
            return EntryDecodeResult.Failed(PersistenceAnomalyType.UndecodableEntry, $"the entry has neither a '{RedisEntryFields.MessagePack}' nor a '{RedisEntryFields.Json}' field", 0);
        }

        // The one lenient reader every backend uses: the Python original's shapes, NaN/Infinity
        // tokens, minimal records. Unparseable content is undecodable; parseable non-records are invalid.
        if (!PersistedRecordReader.TryRead(document, out PersistedRecord? record, out RecordLineProblem problem))
        {
            PersistenceAnomalyType type = PersistedRecordReader.AnomalyTypeOf(problem) == PersistenceAnomalyType.InvalidRecord
                ? PersistenceAnomalyType.InvalidRecord
                : PersistenceAnomalyType.UndecodableEntry;
            string field = messagePack.IsNull ? RedisEntryFields.Json : RedisEntryFields.MessagePack;
            return EntryDecodeResult.Failed(type, $"the '{field}' payload {PersistedRecordReader.Describe(problem)}", payload.Length);
        }

        if (!declaredKind.IsNull && !string.Equals((string?)declaredKind, PersistedRecordKinds.ToWireName(record.Kind), StringComparison.Ordinal))
        {
            return EntryDecodeResult.Failed(
                PersistenceAnomalyType.InvalidRecord,
                $"the entry's kind field '{(string?)declaredKind}' does not match the record kind '{PersistedRecordKinds.ToWireName(record.Kind)}'",
                payload.Length);
        }

        return new EntryDecodeResult(record, null, null, payload.Length);
    }

    /// <summary>Copies an entry's fields under <c>original.</c> names, after the given metadata fields.</summary>
    public static NameValueEntry[] WithOriginal(StreamEntry entry, params NameValueEntry[] metadata)
    {
        NameValueEntry[] original = entry.Values ?? [];
        var fields = new NameValueEntry[metadata.Length + original.Length];
        metadata.CopyTo(fields, 0);
        for (int i = 0; i < original.Length; i++)
        {
            fields[metadata.Length + i] = new NameValueEntry(RedisEntryFields.OriginalPrefix + (string?)original[i].Name, original[i].Value);
        }

        return fields;
    }

}

/// <summary>The outcome of decoding one entry.</summary>
/// <param name="Record">The record, when the entry is valid.</param>
/// <param name="Problem">The anomaly type, when it is not.</param>
/// <param name="Detail">Why it is not.</param>
/// <param name="PayloadBytes">The size of the stored payload.</param>
internal readonly record struct EntryDecodeResult(PersistedRecord? Record, PersistenceAnomalyType? Problem, string? Detail, long PayloadBytes)
{
    public static EntryDecodeResult Failed(PersistenceAnomalyType type, string detail, long payloadBytes) => new(null, type, detail, payloadBytes);
}
