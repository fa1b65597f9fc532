using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Writes records in Papyra's NDJSON format: one compact JSON object per line, <c>kind</c> first,
/// snake_case field names, UTF-8, non-ASCII not escaped, terminated by <c>\n</c>.
/// The format never changes incompatibly (golden files in <c>api/records/</c>).
/// </summary>
public static class PersistedRecordSerializer
{
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode(RecordFieldNames.Kind, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText SystemIdName = JsonEncodedText.Encode(RecordFieldNames.SystemId, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText ActorAddressName = JsonEncodedText.Encode(RecordFieldNames.ActorAddress, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText EventTypeName = JsonEncodedText.Encode(RecordFieldNames.EventType, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText PayloadName = JsonEncodedText.Encode(RecordFieldNames.Payload, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode(RecordFieldNames.Timestamp, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText TotalActorsName = JsonEncodedText.Encode(RecordFieldNames.TotalActors, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText AliveActorsName = JsonEncodedText.Encode(RecordFieldNames.AliveActors, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText StoppingActorsName = JsonEncodedText.Encode(RecordFieldNames.StoppingActors, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText RestartingActorsName = JsonEncodedText.Encode(RecordFieldNames.RestartingActors, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText RegistrySizeName = JsonEncodedText.Encode(RecordFieldNames.RegistrySize, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText RegistryOrphansName = JsonEncodedText.Encode(RecordFieldNames.RegistryOrphans, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText RegistryDeadName = JsonEncodedText.Encode(RecordFieldNames.RegistryDead, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText DeadLettersCountName = JsonEncodedText.Encode(RecordFieldNames.DeadLettersCount, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText TargetName = JsonEncodedText.Encode(RecordFieldNames.Target, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText MessageTypeName = JsonEncodedText.Encode(RecordFieldNames.MessageType, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText ExpectsReplyName = JsonEncodedText.Encode(RecordFieldNames.ExpectsReply, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText AddressSystemName = JsonEncodedText.Encode(RecordFieldNames.AddressSystem, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText AddressActorIdName = JsonEncodedText.Encode(RecordFieldNames.AddressActorId, MinimalJsonEscaper.Instance);

    private static readonly JsonEncodedText EventKind = JsonEncodedText.Encode("event"u8);

    private static readonly JsonEncodedText AuditKind = JsonEncodedText.Encode("audit"u8);

    private static readonly JsonEncodedText DeadLetterKind = JsonEncodedText.Encode("dead_letter"u8);

    [ThreadStatic]
    private static EncodedStrings? t_encoded;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_lineBuffer;

    /// <summary>Serialises a record as one line, including the trailing newline.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The UTF-8 bytes of the line.</returns>
    public static byte[] SerializeLine(PersistedRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteLine(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a record as one line, including the trailing newline.</summary>
    /// <param name="destination">Where to write the UTF-8 bytes.</param>
    /// <param name="record">The record.</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteLine(IBufferWriter<byte> destination, PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(record);
        return RecordJsonWriter.WriteLine(destination, record);
    }

    /// <summary>
    /// Serialises a record into a per-thread buffer (no allocation in steady state). The span is
    /// valid until the same thread serialises again, so copy it before any <c>await</c>.
    /// </summary>
    internal static ReadOnlySpan<byte> SerializeToThreadBuffer(PersistedRecord record)
    {
        ArrayBufferWriter<byte> buffer = t_lineBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        RecordJsonWriter.WriteLine(buffer, record);
        return buffer.WrittenSpan;
    }

    /// <summary>
    /// Writes a record as a JSON object (no newline) into a caller's writer, escaping as that writer
    /// does. The bytes of <see cref="WriteLine"/> are this method's through a writer escaping only
    /// what JSON requires; the tests hold the two equal.
    /// </summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="record">The record.</param>
    public static void WriteObject(Utf8JsonWriter writer, PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString(KindName, record.Kind switch
        {
            PersistedRecordKind.Event => EventKind,
            PersistedRecordKind.Audit => AuditKind,
            _ => DeadLetterKind,
        });
        WriteRepeated(writer, SystemIdName, record.SystemId);
        switch (record)
        {
            case PersistedEvent e:
                WriteAddress(writer, ActorAddressName, e.ActorAddress);
                WriteRepeated(writer, EventTypeName, e.EventType);
                writer.WritePropertyName(PayloadName);
                StoredPayloadWriter.Write(writer, e);
                writer.WriteNumber(TimestampName, e.Timestamp);
                break;
            case PersistedAudit a:
                writer.WriteNumber(TimestampName, a.Timestamp);
                writer.WriteNumber(TotalActorsName, a.TotalActors);
                writer.WriteNumber(AliveActorsName, a.AliveActors);
                writer.WriteNumber(StoppingActorsName, a.StoppingActors);
                writer.WriteNumber(RestartingActorsName, a.RestartingActors);
                writer.WriteNumber(RegistrySizeName, a.RegistrySize);
                WriteStrings(writer, RegistryOrphansName, a.RegistryOrphans);
                WriteStrings(writer, RegistryDeadName, a.RegistryDead);
                writer.WriteNumber(DeadLettersCountName, a.DeadLettersCount);
                break;
            case PersistedDeadLetter d:
                WriteAddress(writer, TargetName, d.Target);
                WriteRepeated(writer, MessageTypeName, d.MessageType);
                writer.WritePropertyName(PayloadName);
                StoredPayloadWriter.Write(writer, d);
                writer.WriteNumber(TimestampName, d.Timestamp);
                writer.WriteBoolean(ExpectsReplyName, d.ExpectsReply);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }

        writer.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter writer, JsonEncodedText name, ActorAddress? address)
    {
        if (address is not { } a)
        {
            writer.WriteNull(name);
            return;
        }

        // The object form is what the Python original writes and reads.
        writer.WriteStartObject(name);
        WriteRepeated(writer, AddressSystemName, a.System);
        writer.WriteNumber(AddressActorIdName, a.Id);
        writer.WriteEndObject();
    }

    // System ids and type names repeat from record to record (a streamed read hands out the same
    // string objects): their encoded form is kept per thread for the last few, keyed by the string
    // object and the writer's encoder, so a listing does not transcode and escape them again.
    // Only ASCII strings are kept: their encoding by JsonEncodedText is exactly the writer's own.
    private static void WriteRepeated(Utf8JsonWriter writer, JsonEncodedText name, string value)
    {
        EncodedStrings cache = t_encoded ??= new EncodedStrings();
        System.Text.Encodings.Web.JavaScriptEncoder? encoder = writer.Options.Encoder;
        int slot = (System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value) & 0x7fffffff) % EncodedStrings.Slots;
        if (ReferenceEquals(cache.Strings[slot], value) && ReferenceEquals(cache.Encoders[slot], encoder))
        {
            writer.WriteString(name, cache.Encoded[slot]);
            return;
        }

        if (value.Length <= 256 && Ascii.IsValid(value))
        {
            JsonEncodedText encoded = JsonEncodedText.Encode(value, encoder);
            cache.Strings[slot] = value;
            cache.Encoders[slot] = encoder;
            cache.Encoded[slot] = encoded;
            writer.WriteString(name, encoded);
            return;
        }

        WriteUtf8(writer, name, value);
    }

    // Strings go to the writer as UTF-8: its UTF-16 path allocates on every value when a custom
    // encoder is set, and this writer is on the append hot path.
    private static void WriteUtf8(Utf8JsonWriter writer, JsonEncodedText? name, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> utf8 = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            // Lone surrogates become U+FFFD here, so the line is always valid UTF-8.
            int length = Encoding.UTF8.GetBytes(value, utf8);
            if (name is { } property)
            {
                writer.WriteString(property, utf8[..length]);
            }
            else
            {
                writer.WriteStringValue(utf8[..length]);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            WriteUtf8(writer, null, value);
        }

        writer.WriteEndArray();
    }

    /// <summary>The last few repeated strings a thread wrote, encoded (see <see cref="WriteRepeated"/>).</summary>
    private sealed class EncodedStrings
    {
        public const int Slots = 16;

        public readonly string?[] Strings = new string?[Slots];

        public readonly System.Text.Encodings.Web.JavaScriptEncoder?[] Encoders = new System.Text.Encodings.Web.JavaScriptEncoder?[Slots];

        public readonly JsonEncodedText[] Encoded = new JsonEncodedText[Slots];
    }
}
