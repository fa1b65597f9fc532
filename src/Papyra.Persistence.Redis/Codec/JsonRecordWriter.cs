using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Writes a record as the compact JSON of the <c>data</c> field: exactly the bytes
/// <see cref="PersistedRecordSerializer.WriteObject"/> writes through a <see cref="Utf8JsonWriter"/>
/// with <see cref="Encoder"/>, but assembled directly in an <see cref="EncodeBuffer"/>.
/// </summary>
/// <remarks>
/// The field names are constant and pre-encoded; strings are copied as UTF-8 when the encoder has
/// nothing to escape in them; the payload's own UTF-8 text is copied when it is already what
/// <see cref="JsonElement.WriteTo"/> would write (no whitespace between tokens, no escape sequences,
/// nothing the encoder escapes). Anything else (an indented payload, a string that needs escaping)
/// is written by a <see cref="Utf8JsonWriter"/> with the same options, so the output never depends
/// on which path wrote it; the tests hold it byte-for-byte equal to the serializer's.
/// </remarks>
internal static class JsonRecordWriter
{
    /// <summary>The escaping rules of the <c>data</c> field (non-ASCII is not escaped).</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The writer options of the <c>data</c> field.</summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = Encoder,
        Indented = false,
    };

    // A Utf8JsonWriter's default depth limit; inside the record object a payload may nest one level less.
    private const int WriterMaxDepth = 1000;

    // Values written at the root by the fallback writer must obey the limit they would inside the record.
    private static readonly JsonWriterOptions ValueOptions = new()
    {
        Encoder = Encoder,
        Indented = false,
        MaxDepth = WriterMaxDepth - 1,
    };

    private static readonly byte[] EventHead = Utf8("""{"kind":"event","system_id":""");

    private static readonly byte[] AuditHead = Utf8("""{"kind":"audit","system_id":""");

    private static readonly byte[] DeadLetterHead = Utf8("""{"kind":"dead_letter","system_id":""");

    private static readonly byte[] ActorAddressName = Name(RecordFieldNames.ActorAddress);

    private static readonly byte[] EventTypeName = Name(RecordFieldNames.EventType);

    private static readonly byte[] PayloadName = Name(RecordFieldNames.Payload);

    private static readonly byte[] TimestampName = Name(RecordFieldNames.Timestamp);

    private static readonly byte[] TotalActorsName = Name(RecordFieldNames.TotalActors);

    private static readonly byte[] AliveActorsName = Name(RecordFieldNames.AliveActors);

    private static readonly byte[] StoppingActorsName = Name(RecordFieldNames.StoppingActors);

    private static readonly byte[] RestartingActorsName = Name(RecordFieldNames.RestartingActors);

    private static readonly byte[] RegistrySizeName = Name(RecordFieldNames.RegistrySize);

    private static readonly byte[] RegistryOrphansName = Name(RecordFieldNames.RegistryOrphans);

    private static readonly byte[] RegistryDeadName = Name(RecordFieldNames.RegistryDead);

    private static readonly byte[] DeadLettersCountName = Name(RecordFieldNames.DeadLettersCount);

    private static readonly byte[] TargetName = Name(RecordFieldNames.Target);

    private static readonly byte[] MessageTypeName = Name(RecordFieldNames.MessageType);

    private static readonly byte[] ExpectsReplyName = Name(RecordFieldNames.ExpectsReply);

    private static readonly byte[] AddressHead = Utf8($$"""{"{{RecordFieldNames.AddressSystem}}":""");

    private static readonly byte[] AddressActorIdName = Name(RecordFieldNames.AddressActorId);

    private static readonly byte[] Null = Utf8("null");

    private static readonly byte[] True = Utf8("true");

    private static readonly byte[] False = Utf8("false");

    // Bytes that send a payload's text through the careful check: whitespace and control bytes,
    // the backslash, the slash (comments), DEL and non-ASCII, and any other ASCII the encoder
    // escapes (the quote aside: without backslashes every quote delimits a string).
    private static readonly SearchValues<byte> PayloadAttention = SearchValues.Create(AttentionBytes());

    // What compact JSON has outside strings: punctuation, numbers, true, false and null.
    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("{}[]:,0123456789+-.eEtruefalsn"u8);

    [ThreadStatic]
    private static Utf8JsonWriter? t_valueWriter;

    /// <summary>Appends the record's JSON object to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">A string list holds <see langword="null"/>, or the record type is unknown.</exception>
    /// <exception cref="InvalidOperationException">The payload is nested deeper than a JSON writer allows.</exception>
    public static void Write(EncodeBuffer buffer, PersistedRecord record)
    {
        switch (record)
        {
            case PersistedEvent e:
                buffer.Write(EventHead);
                WriteString(buffer, e.SystemId);
                buffer.Write(ActorAddressName);
                WriteAddress(buffer, e.ActorAddress);
                buffer.Write(EventTypeName);
                WriteString(buffer, e.EventType);
                buffer.Write(PayloadName);
                WritePayload(buffer, e.Payload);
                buffer.Write(TimestampName);
                WriteDouble(buffer, e.Timestamp);
                break;
            case PersistedAudit a:
                buffer.Write(AuditHead);
                WriteString(buffer, a.SystemId);
                buffer.Write(TimestampName);
                WriteDouble(buffer, a.Timestamp);
                buffer.Write(TotalActorsName);
                WriteInteger(buffer, a.TotalActors);
                buffer.Write(AliveActorsName);
                WriteInteger(buffer, a.AliveActors);
                buffer.Write(StoppingActorsName);
                WriteInteger(buffer, a.StoppingActors);
                buffer.Write(RestartingActorsName);
                WriteInteger(buffer, a.RestartingActors);
                buffer.Write(RegistrySizeName);
                WriteInteger(buffer, a.RegistrySize);
                buffer.Write(RegistryOrphansName);
                WriteStrings(buffer, a.RegistryOrphans);
                buffer.Write(RegistryDeadName);
                WriteStrings(buffer, a.RegistryDead);
                buffer.Write(DeadLettersCountName);
                WriteInteger(buffer, a.DeadLettersCount);
                break;
            case PersistedDeadLetter d:
                buffer.Write(DeadLetterHead);
                WriteString(buffer, d.SystemId);
                buffer.Write(TargetName);
                WriteAddress(buffer, d.Target);
                buffer.Write(MessageTypeName);
                WriteString(buffer, d.MessageType);
                buffer.Write(PayloadName);
                WritePayload(buffer, d.Payload);
                buffer.Write(TimestampName);
                WriteDouble(buffer, d.Timestamp);
                buffer.Write(ExpectsReplyName);
                buffer.Write(d.ExpectsReply ? True : False);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }

        buffer.Write((byte)'}');
    }

    /// <summary>
    /// Whether <paramref name="raw"/>, the text of a parsed JSON value, is byte-for-byte what
    /// <see cref="JsonElement.WriteTo"/> writes for it with <see cref="Options"/>.
    /// </summary>
    internal static bool IsWrittenAsIs(ReadOnlySpan<byte> raw)
    {
        // A document parsed with trailing commas allowed keeps them in its text; the writer drops them.
        if (raw.IndexOf(",]"u8) >= 0 || raw.IndexOf(",}"u8) >= 0)
        {
            return false;
        }

        if (raw.IndexOfAny(PayloadAttention) < 0)
        {
            return true;
        }

        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return false;
        }

        // Without backslashes every quote starts or ends a string: outside strings only the
        // characters of punctuation, numbers and literals may appear (no whitespace, no comments);
        // inside, nothing the encoder would escape.
        bool inString = false;
        while (true)
        {
            int quote = raw.IndexOf((byte)'"');
            ReadOnlySpan<byte> segment = quote < 0 ? raw : raw[..quote];
            if (inString ? Encoder.FindFirstCharacterToEncodeUtf8(segment) >= 0 : segment.IndexOfAnyExcept(TokenBytes) >= 0)
            {
                return false;
            }

            if (quote < 0)
            {
                return !inString;
            }

            raw = raw[(quote + 1)..];
            inString = !inString;
        }
    }

    private static void WritePayload(EncodeBuffer buffer, JsonElement payload)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(payload);

        // A payload nested too deep for the writer needs at least this many brackets; let the writer reject it.
        bool maybeTooDeep = raw.Length >= 2 * (WriterMaxDepth - 1)
            && raw.Count((byte)'{') + raw.Count((byte)'[') >= WriterMaxDepth - 1;
        if (!maybeTooDeep && IsWrittenAsIs(raw))
        {
            buffer.Write(raw);
            return;
        }

        Utf8JsonWriter writer = ValueWriter(buffer);
        payload.WriteTo(writer);
        writer.Flush();
    }

    private static void WriteAddress(EncodeBuffer buffer, ActorAddress? address)
    {
        if (address is not { } a)
        {
            buffer.Write(Null);
            return;
        }

        buffer.Write(AddressHead);
        WriteString(buffer, a.System);
        buffer.Write(AddressActorIdName);
        WriteInteger(buffer, a.Id);
        buffer.Write((byte)'}');
    }

    private static void WriteStrings(EncodeBuffer buffer, IReadOnlyList<string> values)
    {
        buffer.Write((byte)'[');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write((byte)',');
            }

            WriteString(buffer, values[i] ?? throw new ArgumentException("An audit record's registry lists must not contain null."));
        }

        buffer.Write((byte)']');
    }

    /// <summary>A .NET string as a JSON string of its UTF-8 (lone surrogates become U+FFFD, as the serializer writes them).</summary>
    private static void WriteString(EncodeBuffer buffer, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length) + 2;
        Span<byte> span = buffer.GetSpan(max);
        int length = Encoding.UTF8.GetBytes(value, span[1..]);
        Span<byte> utf8 = span.Slice(1, length);
        if (Encoder.FindFirstCharacterToEncodeUtf8(utf8) < 0)
        {
            span[0] = (byte)'"';
            span[length + 1] = (byte)'"';
            buffer.Advance(length + 2);
            return;
        }

        // Needs escaping (rare): the writer escapes it, from a copy, since it writes where the bytes are.
        byte[] copy = utf8.ToArray();
        Utf8JsonWriter writer = ValueWriter(buffer);
        writer.WriteStringValue(copy);
        writer.Flush();
    }

    private static void WriteInteger(EncodeBuffer buffer, long value)
    {
        Utf8Formatter.TryFormat(value, buffer.GetSpan(20), out int written);
        buffer.Advance(written);
    }

    // As Utf8JsonWriter formats a double: the shortest text that round-trips.
    private static void WriteDouble(EncodeBuffer buffer, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("A JSON number must be finite.", nameof(value));
        }

        Utf8Formatter.TryFormat(value, buffer.GetSpan(32), out int written);
        buffer.Advance(written);
    }

    private static Utf8JsonWriter ValueWriter(EncodeBuffer buffer)
    {
        Utf8JsonWriter writer = t_valueWriter ??= new Utf8JsonWriter(buffer, ValueOptions);
        writer.Reset(buffer);
        return writer;
    }

    private static byte[] AttentionBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0; b <= 0xff; b++)
        {
            if (b <= 0x20 || b == '\\' || b == '/' || b >= 0x7f || (b != '"' && Encoder.FindFirstCharacterToEncodeUtf8([(byte)b]) >= 0))
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }

    private static byte[] Name(string name) => Utf8($",\"{name}\":");

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
