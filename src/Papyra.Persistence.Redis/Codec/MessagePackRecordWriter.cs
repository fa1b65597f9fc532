using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Writes a record as a MessagePack map with the NDJSON field names in NDJSON order, so the
/// MessagePack and JSON encodings hold the same document (a decoder can translate one into the
/// other). Hand-written over <see cref="EncodeBuffer"/> (one span at a time, through a cursor): MessagePack-CSharp's <c>MessagePackWriter</c>
/// cost 120–190 ns more per record, which kept pipelined appends below 90 % of raw <c>XADD</c>
/// (bench/REDIS.md). The bytes are the ones <c>MessagePackWriter</c> writes (smallest integer and
/// string headers, float64 for doubles); the tests hold the two byte for byte equal.
/// </summary>
/// <remarks>
/// The constant head of each kind's map (map header, <c>kind</c>, the kind, <c>system_id</c>) and the
/// other field names are pre-encoded. The payload is written in one walk of its <see cref="JsonElement"/>:
/// strings from the document's UTF-8 without materialising .NET strings when they hold no escape
/// sequence, numbers as integers or float64 when those carry them exactly, otherwise as their JSON
/// text in extension type <see cref="JsonNumberExtension"/>.
/// </remarks>
internal static class MessagePackRecordWriter
{
    /// <summary>Extension type holding a JSON number's exact text when float64 cannot carry it.</summary>
    public const sbyte JsonNumberExtension = 1;

    private const int MaxDepth = 64;

    [ThreadStatic]
    private static PayloadCache? t_payloads;

    private const byte Nil = 0xc0;
    private const byte False = 0xc2;
    private const byte True = 0xc3;

    private static readonly byte[] EventHead = Head(6, PersistedRecordKinds.Event);
    private static readonly byte[] AuditHead = Head(11, PersistedRecordKinds.Audit);
    private static readonly byte[] DeadLetterHead = Head(7, PersistedRecordKinds.DeadLetter);
    private static readonly byte[] KeyActorAddress = Key(RecordFieldNames.ActorAddress);
    private static readonly byte[] KeyTarget = Key(RecordFieldNames.Target);
    private static readonly byte[] KeyEventType = Key(RecordFieldNames.EventType);
    private static readonly byte[] KeyMessageType = Key(RecordFieldNames.MessageType);
    private static readonly byte[] KeyPayload = Key(RecordFieldNames.Payload);
    private static readonly byte[] KeyTimestamp = Key(RecordFieldNames.Timestamp);
    private static readonly byte[] KeyExpectsReply = Key(RecordFieldNames.ExpectsReply);
    private static readonly byte[] AddressHead = [0x82, .. Key(RecordFieldNames.AddressSystem)];
    private static readonly byte[] KeyAddressActorId = Key(RecordFieldNames.AddressActorId);
    private static readonly byte[] KeyRegistryOrphans = Key(RecordFieldNames.RegistryOrphans);
    private static readonly byte[] KeyRegistryDead = Key(RecordFieldNames.RegistryDead);
    private static readonly byte[] KeyDeadLettersCount = Key(RecordFieldNames.DeadLettersCount);

    // An audit's counts, in NDJSON order after its timestamp.
    private static readonly byte[][] AuditCountKeys =
    [
        Key(RecordFieldNames.TotalActors),
        Key(RecordFieldNames.AliveActors),
        Key(RecordFieldNames.StoppingActors),
        Key(RecordFieldNames.RestartingActors),
        Key(RecordFieldNames.RegistrySize),
    ];

    /// <summary>Appends the record's MessagePack map to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">The payload is nested deeper than 64 levels, or the record type is unknown.</exception>
    public static void Write(EncodeBuffer buffer, PersistedRecord record)
    {
        var cursor = new Cursor(buffer);
        Write(ref cursor, record);
        cursor.Commit();
    }

    private static void Write(ref Cursor buffer, PersistedRecord record)
    {
        switch (record)
        {
            case PersistedEvent e:
                WriteMessage(ref buffer, EventHead, e.SystemId, KeyActorAddress, e.ActorAddress, KeyEventType, e.EventType, e.Payload, e.Timestamp);
                break;
            case PersistedDeadLetter d:
                WriteMessage(ref buffer, DeadLetterHead, d.SystemId, KeyTarget, d.Target, KeyMessageType, d.MessageType, d.Payload, d.Timestamp);
                WriteRaw(ref buffer, KeyExpectsReply);
                WriteByte(ref buffer, d.ExpectsReply ? True : False);
                break;
            case PersistedAudit a:
                WriteAudit(ref buffer, a);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }
    }

    // Events and dead letters share their first five fields: an address, a type name, the payload, the time.
    private static void WriteMessage(ref Cursor buffer, byte[] head, string systemId, byte[] addressKey, ActorAddress? address, byte[] typeKey, string type, JsonElement payload, double timestamp)
    {
        WriteRaw(ref buffer, head);
        WriteString(ref buffer, systemId);
        WriteRaw(ref buffer, addressKey);
        if (address is { } a)
        {
            WriteRaw(ref buffer, AddressHead);
            WriteString(ref buffer, a.System);
            WriteRaw(ref buffer, KeyAddressActorId);
            WriteInteger(ref buffer, a.Id);
        }
        else
        {
            WriteByte(ref buffer, Nil);
        }

        WriteRaw(ref buffer, typeKey);
        WriteString(ref buffer, type);
        WriteRaw(ref buffer, KeyPayload);
        WritePayload(ref buffer, payload);
        WriteRaw(ref buffer, KeyTimestamp);
        WriteDouble(ref buffer, timestamp);
    }

    // A payload's encoding depends only on its JSON text, and payloads repeat (a lifecycle event's
    // reason, a dead letter's message of one type): one seen again is copied from this thread's
    // cache instead of walked (the walk was the largest part of encoding a record).
    private static void WritePayload(ref Cursor buffer, JsonElement payload)
    {
        if (payload.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(payload);
            if (raw.Length <= PayloadCache.MaxTextLength)
            {
                PayloadCache cache = t_payloads ??= new PayloadCache();
                if (cache.TryGet(raw, out byte[]? encoded))
                {
                    WriteRaw(ref buffer, encoded);
                    return;
                }

                int start = buffer.Mark(out int span);
                WriteValue(ref buffer, payload, 0);
                if (buffer.TryGetWrittenSince(start, span, out ReadOnlySpan<byte> written))
                {
                    cache.Missed(raw, written);
                }

                return;
            }
        }

        WriteValue(ref buffer, payload, 0);
    }

    private static void WriteAudit(ref Cursor buffer, PersistedAudit audit)
    {
        WriteRaw(ref buffer, AuditHead);
        WriteString(ref buffer, audit.SystemId);
        WriteRaw(ref buffer, KeyTimestamp);
        WriteDouble(ref buffer, audit.Timestamp);
        ReadOnlySpan<long> counts = [audit.TotalActors, audit.AliveActors, audit.StoppingActors, audit.RestartingActors, audit.RegistrySize];
        for (int i = 0; i < counts.Length; i++)
        {
            WriteRaw(ref buffer, AuditCountKeys[i]);
            WriteInteger(ref buffer, counts[i]);
        }

        WriteStrings(ref buffer, KeyRegistryOrphans, audit.RegistryOrphans);
        WriteStrings(ref buffer, KeyRegistryDead, audit.RegistryDead);
        WriteRaw(ref buffer, KeyDeadLettersCount);
        WriteInteger(ref buffer, audit.DeadLettersCount);
    }

    private static void WriteStrings(ref Cursor buffer, byte[] key, IReadOnlyList<string> values)
    {
        WriteRaw(ref buffer, key);
        WriteHeader(ref buffer, values.Count, 0x90, 0xdc);
        foreach (string? value in values)
        {
            if (value is null)
            {
                WriteByte(ref buffer, Nil);
            }
            else
            {
                WriteString(ref buffer, value);
            }
        }
    }

    private static void WriteValue(ref Cursor buffer, JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"A record payload is nested deeper than {MaxDepth} levels.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteHeader(ref buffer, element.GetPropertyCount(), 0x80, 0xde);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    ReadOnlySpan<byte> name = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (name.Contains((byte)'\\'))
                    {
                        WriteString(ref buffer, property.Name);
                    }
                    else
                    {
                        WriteUtf8String(ref buffer, name);
                    }

                    WriteValue(ref buffer, property.Value, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                WriteHeader(ref buffer, element.GetArrayLength(), 0x90, 0xdc);
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteValue(ref buffer, item, depth + 1);
                }

                break;
            case JsonValueKind.String:
                // The document's UTF-8 as is when the string has no escape sequences (the common case).
                ReadOnlySpan<byte> text = JsonMarshal.GetRawUtf8Value(element)[1..^1];
                if (text.Contains((byte)'\\'))
                {
                    WriteString(ref buffer, element.GetString()!);
                }
                else
                {
                    WriteUtf8String(ref buffer, text);
                }

                break;
            case JsonValueKind.Number:
                WriteNumber(ref buffer, element);
                break;
            case JsonValueKind.True:
                WriteByte(ref buffer, True);
                break;
            case JsonValueKind.False:
                WriteByte(ref buffer, False);
                break;
            default:
                WriteByte(ref buffer, Nil);
                break;
        }
    }

    private static void WriteNumber(ref Cursor buffer, JsonElement element)
    {
        // What JsonElement.TryGetInt64 and TryGetUInt64 do, over the number's text read once.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        if (Utf8Parser.TryParse(raw, out long integer, out int consumed) && consumed == raw.Length)
        {
            WriteInteger(ref buffer, integer);
            return;
        }

        if (Utf8Parser.TryParse(raw, out ulong unsigned, out consumed) && consumed == raw.Length)
        {
            // Only above long.MaxValue here: always uint64.
            Span<byte> span = buffer.Reserve(9);
            span[0] = 0xcf;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], unsigned);
            buffer.Advance(9);
            return;
        }

        WriteFraction(ref buffer, element, raw);
    }

    /// <summary>A number that is not an integer: float64 when that carries it exactly, else its text.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteFraction(ref Cursor buffer, JsonElement element, ReadOnlySpan<byte> raw)
    {
        // A float64 carries the number when it prints back as the same text; otherwise (1.0,
        // 1E400, 0.10000000000000000001) the exact text goes in an extension so nothing changes.
        Span<byte> formatted = stackalloc byte[32];
        if (element.TryGetDouble(out double number) && double.IsFinite(number)
            && number.TryFormat(formatted, out int length, "R", CultureInfo.InvariantCulture)
            && formatted[..length].SequenceEqual(raw))
        {
            WriteDouble(ref buffer, number);
            return;
        }

        WriteExtension(ref buffer, JsonNumberExtension, raw);
    }

    private static void WriteExtension(ref Cursor buffer, sbyte type, ReadOnlySpan<byte> data)
    {
        Span<byte> span = buffer.Reserve(6 + data.Length);
        int header = 1;
        switch (data.Length)
        {
            case 1: span[0] = 0xd4; break;
            case 2: span[0] = 0xd5; break;
            case 4: span[0] = 0xd6; break;
            case 8: span[0] = 0xd7; break;
            case 16: span[0] = 0xd8; break;
            default:
                header = WriteLength(span, data.Length, 0xc7);
                break;
        }

        span[header] = unchecked((byte)type);
        data.CopyTo(span[(header + 1)..]);
        buffer.Advance(header + 1 + data.Length);
    }

    /// <summary>A map (<paramref name="fix"/> 0x80) or array (0x90) header; <paramref name="code16"/> + 1 is the 32-bit form.</summary>
    private static void WriteHeader(ref Cursor buffer, int count, byte fix, byte code16)
    {
        Span<byte> span = buffer.Reserve(5);
        if (count <= 15)
        {
            span[0] = (byte)(fix | count);
            buffer.Advance(1);
            return;
        }

        // No 8-bit form for maps and arrays: 16 or 32 bits.
        if (count <= ushort.MaxValue)
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

    /// <summary>
    /// An 8-, 16- or 32-bit length after <paramref name="code8"/>, <paramref name="code8"/> + 1 or + 2
    /// (str 0xd9, ext 0xc7); returns the header's size.
    /// </summary>
    private static int WriteLength(Span<byte> span, int length, byte code8)
    {
        if (length <= byte.MaxValue)
        {
            span[0] = code8;
            span[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            span[0] = (byte)(code8 + 1);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            return 3;
        }

        span[0] = (byte)(code8 + 2);
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        return 5;
    }

    /// <summary>An integer in its smallest MessagePack form, as <c>MessagePackWriter.Write(long)</c> writes it.</summary>
    private static void WriteInteger(ref Cursor buffer, long value)
    {
        Span<byte> span = buffer.Reserve(9);
        if (value is >= -32 and <= 0x7f)
        {
            // Positive or negative fixint.
            span[0] = unchecked((byte)value);
            buffer.Advance(1);
            return;
        }

        int size;
        if (value >= 0)
        {
            (span[0], size) = value <= byte.MaxValue ? ((byte)0xcc, 2) : value <= ushort.MaxValue ? ((byte)0xcd, 3) : value <= uint.MaxValue ? ((byte)0xce, 5) : ((byte)0xcf, 9);
        }
        else
        {
            (span[0], size) = value >= sbyte.MinValue ? ((byte)0xd0, 2) : value >= short.MinValue ? ((byte)0xd1, 3) : value >= int.MinValue ? ((byte)0xd2, 5) : ((byte)0xd3, 9);
        }

        // Big-endian, the low (size - 1) bytes of the two's complement.
        switch (size)
        {
            case 2: span[1] = unchecked((byte)value); break;
            case 3: BinaryPrimitives.WriteUInt16BigEndian(span[1..], unchecked((ushort)value)); break;
            case 5: BinaryPrimitives.WriteUInt32BigEndian(span[1..], unchecked((uint)value)); break;
            default: BinaryPrimitives.WriteUInt64BigEndian(span[1..], unchecked((ulong)value)); break;
        }

        buffer.Advance(size);
    }

    private static void WriteDouble(ref Cursor buffer, double value)
    {
        Span<byte> span = buffer.Reserve(9);
        span[0] = 0xcb;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        buffer.Advance(9);
    }

    /// <summary>A .NET string as UTF-8 (lone surrogates become U+FFFD, as MessagePack-CSharp writes them).</summary>
    private static void WriteString(ref Cursor buffer, string value)
    {
        // Mostly ASCII (ids, type names): one pass, its length known up front.
        int asciiHeader = StringHeaderSize(value.Length);
        Span<byte> span = buffer.Reserve(asciiHeader + value.Length);
        if (Ascii.FromUtf16(value, span[asciiHeader..], out _) == OperationStatus.Done)
        {
            WriteStringHeader(span, value.Length);
            buffer.Advance(asciiHeader + value.Length);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        int header = StringHeaderSize(length);
        span = buffer.Reserve(header + length);
        WriteStringHeader(span, length);
        Encoding.UTF8.GetBytes(value, span[header..]);
        buffer.Advance(header + length);
    }

    private static void WriteUtf8String(ref Cursor buffer, ReadOnlySpan<byte> utf8)
    {
        int header = StringHeaderSize(utf8.Length);
        Span<byte> span = buffer.Reserve(header + utf8.Length);
        WriteStringHeader(span, utf8.Length);
        utf8.CopyTo(span[header..]);
        buffer.Advance(header + utf8.Length);
    }

    private static int StringHeaderSize(int length) => length <= 31 ? 1 : length <= byte.MaxValue ? 2 : length <= ushort.MaxValue ? 3 : 5;

    private static void WriteStringHeader(Span<byte> span, int length)
    {
        if (length <= 31)
        {
            span[0] = (byte)(0xa0 | length);
        }
        else
        {
            WriteLength(span, length, 0xd9);
        }
    }

    private static void WriteByte(ref Cursor buffer, byte value)
    {
        buffer.Reserve(1)[0] = value;
        buffer.Advance(1);
    }

    private static void WriteRaw(ref Cursor buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.Reserve(bytes.Length));
        buffer.Advance(bytes.Length);
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

    /// <summary>
    /// Writes into one span of the buffer and advances the buffer once at the end (or when the span is
    /// full), instead of a <see cref="EncodeBuffer.GetSpan"/> and <see cref="EncodeBuffer.Advance"/> per value.
    /// </summary>
    private ref struct Cursor
    {
        private readonly EncodeBuffer _buffer;
        private Span<byte> _span;
        private int _at;
        private int _spans;

        public Cursor(EncodeBuffer buffer)
        {
            _buffer = buffer;
            _span = buffer.GetSpan(256);
        }

        /// <summary>Room for at least <paramref name="size"/> bytes after what was written.</summary>
        public Span<byte> Reserve(int size)
        {
            if (_span.Length - _at < size)
            {
                Flush(size);
            }

            return _span[_at..];
        }

        /// <summary>Counts <paramref name="count"/> bytes written into the last reserved span.</summary>
        public void Advance(int count) => _at += count;

        /// <summary>Where the next byte goes, in the current span (<paramref name="span"/> tells the span).</summary>
        public readonly int Mark(out int span)
        {
            span = _spans;
            return _at;
        }

        /// <summary>The bytes written since <see cref="Mark"/>, unless they crossed into another span.</summary>
        public readonly bool TryGetWrittenSince(int mark, int span, out ReadOnlySpan<byte> written)
        {
            written = span == _spans ? _span[mark.._at] : default;
            return span == _spans;
        }

        /// <summary>Advances the buffer over everything written.</summary>
        public readonly void Commit() => _buffer.Advance(_at);

        private void Flush(int size)
        {
            _buffer.Advance(_at);
            _at = 0;
            _span = _buffer.GetSpan(size);
            _spans++;
        }
    }

    /// <summary>
    /// A thread's encoded payloads, by JSON text: a few recent ones, each kept once its text had
    /// missed twice among the last misses (a payload seen once costs a hash, not a copy).
    /// </summary>
    private sealed class PayloadCache
    {
        /// <summary>The longest payload text kept.</summary>
        public const int MaxTextLength = 256;

        private const int Entries = 8;

        private readonly byte[]?[] _texts = new byte[Entries][];
        private readonly byte[][] _encoded = new byte[Entries][];
        private readonly int[] _missed = new int[Entries];
        private int _nextEntry;
        private int _nextMiss;

        public bool TryGet(ReadOnlySpan<byte> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? encoded)
        {
            for (int i = 0; i < Entries; i++)
            {
                if (_texts[i] is { } kept && kept.AsSpan().SequenceEqual(text))
                {
                    encoded = _encoded[i];
                    return true;
                }
            }

            encoded = null;
            return false;
        }

        public void Missed(ReadOnlySpan<byte> text, ReadOnlySpan<byte> encoded)
        {
            var hash = default(HashCode);
            hash.AddBytes(text);
            int code = hash.ToHashCode();
            if (Array.IndexOf(_missed, code) < 0)
            {
                _missed[_nextMiss] = code;
                _nextMiss = (_nextMiss + 1) % Entries;
                return;
            }

            _texts[_nextEntry] = text.ToArray();
            _encoded[_nextEntry] = encoded.ToArray();
            _nextEntry = (_nextEntry + 1) % Entries;
        }
    }
}
