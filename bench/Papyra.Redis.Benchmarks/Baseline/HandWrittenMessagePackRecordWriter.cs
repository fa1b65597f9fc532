using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Redis.Benchmarks.Baseline;

/// <summary>
/// Writes a record as a MessagePack map with the NDJSON field names in NDJSON order, so the
/// MessagePack and JSON encodings hold the same document (a decoder can translate one into the other).
/// </summary>
/// <remarks>
/// Hand-written over <see cref="HandWrittenEncodeBuffer"/> rather than MessagePack-CSharp's <c>MessagePackWriter</c>:
/// this is the append hot path, and the general writer's per-call buffer bookkeeping was most of the
/// encoding cost. The bytes are the ones <c>MessagePackWriter</c> writes (smallest integer and
/// string headers, float64 for doubles); the tests hold the two byte-for-byte equal.
/// </remarks>
internal static class HandWrittenMessagePackRecordWriter
{
    /// <summary>Extension type holding a JSON number's exact text when float64 cannot carry it.</summary>
    public const sbyte JsonNumberExtension = 1;

    private const int MaxDepth = 64;

    /// <summary>How many containers can be open at once in a payload within <see cref="MaxDepth"/>.</summary>
    public const int MaxOpenContainers = MaxDepth + 1;

    private static readonly SearchValues<byte> NumberEnd = SearchValues.Create(",]} \t\r\n/"u8);

    // The constant head of each kind's map (map header, "kind", the kind, "system_id") and the
    // other field names, pre-encoded.
    private static readonly byte[] EventHead = Head(6, PersistedRecordKinds.Event);

    private static readonly byte[] AuditHead = Head(11, PersistedRecordKinds.Audit);

    private static readonly byte[] DeadLetterHead = Head(7, PersistedRecordKinds.DeadLetter);

    private static readonly byte[] KeyActorAddress = Key(RecordFieldNames.ActorAddress);

    private static readonly byte[] AddressHead = [0x82, .. Key(RecordFieldNames.AddressSystem)];

    private static readonly byte[] KeyAddressActorId = Key(RecordFieldNames.AddressActorId);

    private static readonly byte[] KeyAliveActors = Key(RecordFieldNames.AliveActors);

    private static readonly byte[] KeyDeadLettersCount = Key(RecordFieldNames.DeadLettersCount);

    private static readonly byte[] KeyEventType = Key(RecordFieldNames.EventType);

    private static readonly byte[] KeyExpectsReply = Key(RecordFieldNames.ExpectsReply);

    private static readonly byte[] KeyMessageType = Key(RecordFieldNames.MessageType);

    private static readonly byte[] KeyPayload = Key(RecordFieldNames.Payload);

    private static readonly byte[] KeyRegistryDead = Key(RecordFieldNames.RegistryDead);

    private static readonly byte[] KeyRegistryOrphans = Key(RecordFieldNames.RegistryOrphans);

    private static readonly byte[] KeyRegistrySize = Key(RecordFieldNames.RegistrySize);

    private static readonly byte[] KeyRestartingActors = Key(RecordFieldNames.RestartingActors);

    private static readonly byte[] KeyStoppingActors = Key(RecordFieldNames.StoppingActors);

    private static readonly byte[] KeyTarget = Key(RecordFieldNames.Target);

    private static readonly byte[] KeyTimestamp = Key(RecordFieldNames.Timestamp);

    private static readonly byte[] KeyTotalActors = Key(RecordFieldNames.TotalActors);

    /// <summary>Appends the record's MessagePack map to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">The payload is nested deeper than 64 levels, or the record type is unknown.</exception>
    public static void Write(HandWrittenEncodeBuffer buffer, PersistedRecord record)
    {
        switch (record)
        {
            case PersistedEvent e:
                buffer.Write(EventHead);
                WriteString(buffer, e.SystemId);
                buffer.Write(KeyActorAddress);
                WriteAddress(buffer, e.ActorAddress);
                buffer.Write(KeyEventType);
                WriteString(buffer, e.EventType);
                buffer.Write(KeyPayload);
                WritePayload(buffer, e.Payload);
                buffer.Write(KeyTimestamp);
                WriteDouble(buffer, e.Timestamp);
                break;
            case PersistedAudit a:
                buffer.Write(AuditHead);
                WriteString(buffer, a.SystemId);
                buffer.Write(KeyTimestamp);
                WriteDouble(buffer, a.Timestamp);
                buffer.Write(KeyTotalActors);
                WriteInteger(buffer, a.TotalActors);
                buffer.Write(KeyAliveActors);
                WriteInteger(buffer, a.AliveActors);
                buffer.Write(KeyStoppingActors);
                WriteInteger(buffer, a.StoppingActors);
                buffer.Write(KeyRestartingActors);
                WriteInteger(buffer, a.RestartingActors);
                buffer.Write(KeyRegistrySize);
                WriteInteger(buffer, a.RegistrySize);
                buffer.Write(KeyRegistryOrphans);
                WriteStrings(buffer, a.RegistryOrphans);
                buffer.Write(KeyRegistryDead);
                WriteStrings(buffer, a.RegistryDead);
                buffer.Write(KeyDeadLettersCount);
                WriteInteger(buffer, a.DeadLettersCount);
                break;
            case PersistedDeadLetter d:
                buffer.Write(DeadLetterHead);
                WriteString(buffer, d.SystemId);
                buffer.Write(KeyTarget);
                WriteAddress(buffer, d.Target);
                buffer.Write(KeyMessageType);
                WriteString(buffer, d.MessageType);
                buffer.Write(KeyPayload);
                WritePayload(buffer, d.Payload);
                buffer.Write(KeyTimestamp);
                WriteDouble(buffer, d.Timestamp);
                buffer.Write(KeyExpectsReply);
                buffer.Write(d.ExpectsReply ? (byte)0xc3 : (byte)0xc2);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }
    }

    private static void WriteAddress(HandWrittenEncodeBuffer buffer, ActorAddress? address)
    {
        if (address is not { } a)
        {
            buffer.Write(0xc0);
            return;
        }

        buffer.Write(AddressHead);
        WriteString(buffer, a.System);
        buffer.Write(KeyAddressActorId);
        WriteInteger(buffer, a.Id);
    }

    private static void WriteStrings(HandWrittenEncodeBuffer buffer, IReadOnlyList<string> values)
    {
        WriteCollectionHeader(buffer, values.Count, 0x90, 0xdc);
        foreach (string? value in values)
        {
            if (value is null)
            {
                buffer.Write(0xc0);
            }
            else
            {
                WriteString(buffer, value);
            }
        }
    }

    private static void WritePayload(HandWrittenEncodeBuffer buffer, JsonElement payload)
    {
        ReadOnlySpan<byte> text = JsonMarshal.GetRawUtf8Value(payload);
        int start = buffer.Length;
        if (text.IndexOf((byte)'\\') < 0 && TryTranslate(buffer, text))
        {
            return;
        }

        buffer.Truncate(start);
        WriteJson(buffer, payload, 0);
    }

    /// <summary>
    /// Translates a payload's JSON text without escape sequences in one pass over its bytes: the
    /// common case, and several times cheaper than walking the <see cref="JsonElement"/>. The text
    /// is valid JSON (its document parsed it), so only the tokens need telling apart. Map and
    /// array headers start as one-byte placeholders and are widened in place when a container
    /// holds more than 15 entries. Returns <see langword="false"/> on a comment, which only the
    /// element walk skips.
    /// </summary>
    private static bool TryTranslate(HandWrittenEncodeBuffer buffer, ReadOnlySpan<byte> json)
    {
        int[] offsets = buffer.ContainerOffsets;
        int[] counts = buffer.ContainerCounts;
        int top = -1;
        bool expectKey = false;
        int i = 0;
        while (i < json.Length)
        {
            byte c = json[i];
            switch (c)
            {
                case (byte)'{':
                case (byte)'[':
                    StartValue(buffer, offsets, counts, top);
                    top++;
                    offsets[top] = buffer.Length;
                    counts[top] = 0;
                    buffer.Write(c == (byte)'{' ? (byte)0x80 : (byte)0x90);
                    expectKey = c == (byte)'{';
                    i++;
                    break;
                case (byte)'}':
                case (byte)']':
                    CloseContainer(buffer, offsets[top], counts[top]);
                    top--;
                    expectKey = false;
                    i++;
                    break;
                case (byte)',':
                    expectKey = top >= 0 && buffer.WrittenBytes[offsets[top]] == 0x80;
                    i++;
                    break;
                case (byte)':':
                case (byte)' ':
                case (byte)'\t':
                case (byte)'\n':
                case (byte)'\r':
                    i++;
                    break;
                case (byte)'"':
                    if (expectKey)
                    {
                        counts[top]++;
                        expectKey = false;
                    }
                    else
                    {
                        StartValue(buffer, offsets, counts, top);
                    }

                    // No escapes: the next quote ends the string.
                    int length = json[(i + 1)..].IndexOf((byte)'"');
                    WriteUtf8String(buffer, json.Slice(i + 1, length));
                    i += length + 2;
                    break;
                case (byte)'t':
                    StartValue(buffer, offsets, counts, top);
                    buffer.Write(0xc3);
                    i += 4;
                    break;
                case (byte)'f':
                    StartValue(buffer, offsets, counts, top);
                    buffer.Write(0xc2);
                    i += 5;
                    break;
                case (byte)'n':
                    StartValue(buffer, offsets, counts, top);
                    buffer.Write(0xc0);
                    i += 4;
                    break;
                case (byte)'/':
                    return false;
                default:
                    StartValue(buffer, offsets, counts, top);
                    int end = json[i..].IndexOfAny(NumberEnd);
                    int size = end < 0 ? json.Length - i : end;
                    WriteNumber(buffer, json.Slice(i, size));
                    i += size;
                    break;
            }
        }

        return true;
    }

    /// <summary>A value begins inside the container at <paramref name="top"/> (-1: the payload itself).</summary>
    private static void StartValue(HandWrittenEncodeBuffer buffer, int[] offsets, int[] counts, int top)
    {
        // The value's depth is top + 1, as the element walk counts it.
        if (top >= MaxDepth)
        {
            throw new ArgumentException($"A record payload is nested deeper than {MaxDepth} levels.");
        }

        if (top >= 0 && buffer.WrittenBytes[offsets[top]] == 0x90)
        {
            counts[top]++;
        }
    }

    private static void CloseContainer(HandWrittenEncodeBuffer buffer, int offset, int count)
    {
        bool map = buffer.WrittenBytes[offset] == 0x80;
        if (count <= 15)
        {
            buffer.WrittenBytes[offset] |= (byte)count;
            return;
        }

        // Rare: the placeholder becomes a 3- or 5-byte header and the content moves up.
        int extra = count <= ushort.MaxValue ? 2 : 4;
        Span<byte> bytes = buffer.WrittenBytesWithSpare(extra);
        bytes[(offset + 1)..^extra].CopyTo(bytes[(offset + 1 + extra)..]);
        if (extra == 2)
        {
            bytes[offset] = map ? (byte)0xde : (byte)0xdc;
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(offset + 1)..], (ushort)count);
        }
        else
        {
            bytes[offset] = map ? (byte)0xdf : (byte)0xdd;
            BinaryPrimitives.WriteUInt32BigEndian(bytes[(offset + 1)..], (uint)count);
        }

        buffer.Advance(extra);
    }

    /// <summary>A JSON number's text as the element walk writes it (same parsing as <see cref="JsonElement"/>'s TryGet methods).</summary>
    private static void WriteNumber(HandWrittenEncodeBuffer buffer, ReadOnlySpan<byte> text)
    {
        if (Utf8Parser.TryParse(text, out long integer, out int consumed) && consumed == text.Length)
        {
            WriteInteger(buffer, integer);
            return;
        }

        if (Utf8Parser.TryParse(text, out ulong unsigned, out consumed) && consumed == text.Length)
        {
            Span<byte> span = buffer.GetSpan(9);
            span[0] = 0xcf;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], unsigned);
            buffer.Advance(9);
            return;
        }

        Span<byte> formatted = stackalloc byte[32];
        if (Utf8Parser.TryParse(text, out double number, out consumed) && consumed == text.Length && double.IsFinite(number)
            && number.TryFormat(formatted, out int length, "R", CultureInfo.InvariantCulture)
            && formatted[..length].SequenceEqual(text))
        {
            WriteDouble(buffer, number);
            return;
        }

        WriteExtension(buffer, JsonNumberExtension, text);
    }

    private static void WriteJson(HandWrittenEncodeBuffer buffer, JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"A record payload is nested deeper than {MaxDepth} levels.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteCollectionHeader(buffer, element.GetPropertyCount(), 0x80, 0xde);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    ReadOnlySpan<byte> name = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (name.IndexOf((byte)'\\') < 0)
                    {
                        WriteUtf8String(buffer, name);
                    }
                    else
                    {
                        WriteString(buffer, property.Name);
                    }

                    WriteJson(buffer, property.Value, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                WriteCollectionHeader(buffer, element.GetArrayLength(), 0x90, 0xdc);
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteJson(buffer, item, depth + 1);
                }

                break;
            case JsonValueKind.String:
                // The document's UTF-8 as is when the string has no escape sequences (the common case).
                ReadOnlySpan<byte> text = JsonMarshal.GetRawUtf8Value(element)[1..^1];
                if (text.IndexOf((byte)'\\') < 0)
                {
                    WriteUtf8String(buffer, text);
                }
                else
                {
                    WriteString(buffer, element.GetString()!);
                }

                break;
            case JsonValueKind.Number:
                WriteNumber(buffer, element);
                break;
            case JsonValueKind.True:
                buffer.Write(0xc3);
                break;
            case JsonValueKind.False:
                buffer.Write(0xc2);
                break;
            default:
                buffer.Write(0xc0);
                break;
        }
    }

    private static void WriteNumber(HandWrittenEncodeBuffer buffer, JsonElement element)
    {
        if (element.TryGetInt64(out long integer))
        {
            WriteInteger(buffer, integer);
            return;
        }

        if (element.TryGetUInt64(out ulong unsigned))
        {
            // Only above long.MaxValue here: always uint64.
            Span<byte> span = buffer.GetSpan(9);
            span[0] = 0xcf;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], unsigned);
            buffer.Advance(9);
            return;
        }

        // A float64 carries the number when it prints back as the same text; otherwise (1.0,
        // 1E400, 0.10000000000000000001) the exact text goes in an extension so nothing changes.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        Span<byte> formatted = stackalloc byte[32];
        if (element.TryGetDouble(out double number) && double.IsFinite(number)
            && number.TryFormat(formatted, out int length, "R", CultureInfo.InvariantCulture)
            && formatted[..length].SequenceEqual(raw))
        {
            WriteDouble(buffer, number);
            return;
        }

        WriteExtension(buffer, JsonNumberExtension, raw);
    }

    private static void WriteExtension(HandWrittenEncodeBuffer buffer, sbyte type, ReadOnlySpan<byte> data)
    {
        Span<byte> span = buffer.GetSpan(6 + data.Length);
        int header;
        switch (data.Length)
        {
            case 1: span[0] = 0xd4; header = 1; break;
            case 2: span[0] = 0xd5; header = 1; break;
            case 4: span[0] = 0xd6; header = 1; break;
            case 8: span[0] = 0xd7; header = 1; break;
            case 16: span[0] = 0xd8; header = 1; break;
            case <= byte.MaxValue:
                span[0] = 0xc7;
                span[1] = (byte)data.Length;
                header = 2;
                break;
            case <= ushort.MaxValue:
                span[0] = 0xc8;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)data.Length);
                header = 3;
                break;
            default:
                span[0] = 0xc9;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)data.Length);
                header = 5;
                break;
        }

        span[header] = unchecked((byte)type);
        data.CopyTo(span[(header + 1)..]);
        buffer.Advance(header + 1 + data.Length);
    }

    /// <summary>A map (<paramref name="fix"/> 0x80) or array (0x90) header; <paramref name="code16"/> + 1 is the 32-bit form.</summary>
    private static void WriteCollectionHeader(HandWrittenEncodeBuffer buffer, int count, byte fix, byte code16)
    {
        Span<byte> span = buffer.GetSpan(5);
        if (count <= 15)
        {
            span[0] = (byte)(fix | count);
            buffer.Advance(1);
        }
        else if (count <= ushort.MaxValue)
        {
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)count);
            buffer.Advance(3);
        }
        else
        {
            span[0] = (byte)(code16 + 1);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)count);
            buffer.Advance(5);
        }
    }

    /// <summary>An integer in its smallest MessagePack form, as <c>MessagePackWriter.Write(long)</c> writes it.</summary>
    private static void WriteInteger(HandWrittenEncodeBuffer buffer, long value)
    {
        Span<byte> span = buffer.GetSpan(9);
        int length;
        if (value >= 0)
        {
            if (value <= 0x7f)
            {
                span[0] = (byte)value;
                length = 1;
            }
            else if (value <= byte.MaxValue)
            {
                span[0] = 0xcc;
                span[1] = (byte)value;
                length = 2;
            }
            else if (value <= ushort.MaxValue)
            {
                span[0] = 0xcd;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
                length = 3;
            }
            else if (value <= uint.MaxValue)
            {
                span[0] = 0xce;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
                length = 5;
            }
            else
            {
                span[0] = 0xcf;
                BinaryPrimitives.WriteUInt64BigEndian(span[1..], (ulong)value);
                length = 9;
            }
        }
        else if (value >= -32)
        {
            span[0] = unchecked((byte)value);
            length = 1;
        }
        else if (value >= sbyte.MinValue)
        {
            span[0] = 0xd0;
            span[1] = unchecked((byte)value);
            length = 2;
        }
        else if (value >= short.MinValue)
        {
            span[0] = 0xd1;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            length = 3;
        }
        else if (value >= int.MinValue)
        {
            span[0] = 0xd2;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            length = 5;
        }
        else
        {
            span[0] = 0xd3;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            length = 9;
        }

        buffer.Advance(length);
    }

    private static void WriteDouble(HandWrittenEncodeBuffer buffer, double value)
    {
        Span<byte> span = buffer.GetSpan(9);
        span[0] = 0xcb;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        buffer.Advance(9);
    }

    /// <summary>A .NET string as UTF-8 (lone surrogates become U+FFFD, as MessagePack-CSharp writes them).</summary>
    private static void WriteString(HandWrittenEncodeBuffer buffer, string value)
    {
        // Mostly ASCII (ids, type names): one pass, its length known up front.
        int asciiHeader = value.Length <= 31 ? 1 : value.Length <= byte.MaxValue ? 2 : value.Length <= ushort.MaxValue ? 3 : 5;
        Span<byte> span = buffer.GetSpan(asciiHeader + value.Length);
        if (Ascii.FromUtf16(value, span[asciiHeader..], out _) == OperationStatus.Done)
        {
            WriteStringHeader(buffer, value.Length);
            buffer.Advance(asciiHeader + value.Length);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        int header = WriteStringHeader(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(header + length)[header..]);
        buffer.Advance(header + length);
    }

    private static void WriteUtf8String(HandWrittenEncodeBuffer buffer, ReadOnlySpan<byte> utf8)
    {
        int header = WriteStringHeader(buffer, utf8.Length);
        utf8.CopyTo(buffer.GetSpan(header + utf8.Length)[header..]);
        buffer.Advance(header + utf8.Length);
    }

    /// <summary>Writes the header of a string of <paramref name="length"/> UTF-8 bytes without advancing; returns its size.</summary>
    private static int WriteStringHeader(HandWrittenEncodeBuffer buffer, int length)
    {
        Span<byte> span = buffer.GetSpan(5 + length);
        if (length <= 31)
        {
            span[0] = (byte)(0xa0 | length);
            return 1;
        }

        if (length <= byte.MaxValue)
        {
            span[0] = 0xd9;
            span[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            span[0] = 0xda;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            return 3;
        }

        span[0] = 0xdb;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        return 5;
    }

    private static byte[] Head(int fields, string kind) => [(byte)(0x80 | fields), .. Key(RecordFieldNames.Kind), .. Key(kind), .. Key(RecordFieldNames.SystemId)];

    private static byte[] Key(string asciiName)
    {
        // Field names are short ASCII: a fixstr.
        if (asciiName.Length > 31 || !Ascii.IsValid(asciiName))
        {
            throw new InvalidOperationException($"Field name '{asciiName}' is not a short ASCII name.");
        }

        return [(byte)(0xa0 | asciiName.Length), .. Encoding.ASCII.GetBytes(asciiName)];
    }
}
