using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// The one writer of Papyra's JSON records: the lines of the file backends and the <c>data</c> field
/// of the Redis backend's JSON encoding. Writes exactly the bytes <see cref="PersistedRecordSerializer.WriteObject"/>
/// writes through a <see cref="Utf8JsonWriter"/> escaping with <see cref="MinimalJsonEscaper"/>
/// (only <c>"</c>, <c>\</c> and control characters; non-ASCII raw), assembled directly in the buffer.
/// </summary>
/// <remarks>
/// <para>
/// The field names are constant and pre-encoded; a string is copied as its UTF-8 when it has nothing
/// to escape (lone surrogates become U+FFFD, as the serializer writes them); the payload's own UTF-8
/// text is copied when it is exactly what <see cref="JsonElement.WriteTo"/> would write for it
/// (<see cref="IsWrittenAsIs"/>): <see cref="JsonElement.WriteTo"/> keeps numbers as written and
/// re-escapes strings, so for compact text without escape sequences the two are the same bytes.
/// Anything else (a string that needs escaping, an indented payload, one with escape sequences,
/// comments or trailing commas) is written by a <see cref="Utf8JsonWriter"/> with the same escaper,
/// so the output never depends on which path wrote it; tests hold it byte-for-byte equal to the
/// serializer's over edge cases and random records, and the golden corpus in <c>api/records/</c>
/// holds the format.
/// </para>
/// <para>Serialising was 90 % of the cost of a <see cref="PersistenceDurability.None"/> append.</para>
/// </remarks>
[PapyraInternal]
public static class RecordJsonWriter
{
    // Utf8JsonWriter's default depth limit; inside the record object a payload may nest one level less.
    private const int WriterMaxDepth = 1000;

    private const string Q = "\"";

    private static readonly JsonWriterOptions ValueOptions = new()
    {
        Encoder = MinimalJsonEscaper.Instance,
        Indented = false,
        MaxDepth = WriterMaxDepth - 1,
    };

    // The fixed bytes between values, for a line (compact) or an indented listing.
    private static readonly Layout Compact = new(null, 0);

    /// <summary>The fixed bytes of a line, which the reader of stored lines matches first (<see cref="StoredLineReader"/>).</summary>
    internal static Layout LineLayout => Compact;

    // Bytes that send a payload's text through the careful check: whitespace and control bytes, the
    // backslash, the slash (comments) and non-ASCII (which must be valid UTF-8). The quote aside,
    // the escaper escapes nothing else.
    private static readonly SearchValues<byte> PayloadAttention = SearchValues.Create(AttentionBytes());

    // What the escaper escapes in UTF-8: control characters, the quote and the backslash.
    private static readonly SearchValues<byte> EscapedBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, (byte)'"', (byte)'\\']);

    // What compact JSON has outside strings: punctuation, numbers, true, false and null.
    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("{}[]:,0123456789+-.eEtruefalsn"u8);

    [ThreadStatic]
    private static Utf8JsonWriter? t_valueWriter;

    [ThreadStatic]
    private static EventLineParts? t_eventLineParts;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_payloadText;

    [ThreadStatic]
    private static Utf8JsonWriter? t_payloadWriter;

    // The payload of an event without one (what PersistedEvent stands in for null).
    private static readonly JsonElement EmptyObject = ParseEmptyObject();

    /// <summary>
    /// The one escaper of Papyra's JSON records: only <c>"</c>, <c>\</c> and control characters are
    /// escaped (lone surrogates too, though the writer never leaves one); everything else, non-ASCII
    /// included, is written raw (SPEC §5).
    /// </summary>
    public static JavaScriptEncoder Escaper => MinimalJsonEscaper.Instance;

    /// <summary>Writes the record as one line: its JSON object and <c>\n</c>.</summary>
    /// <param name="destination">The buffer.</param>
    /// <param name="record">The record.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">An audit's registry list holds <see langword="null"/>, or the record type is unknown.</exception>
    /// <exception cref="InvalidOperationException">The payload is undefined or nested deeper than a JSON writer allows.</exception>
    public static int WriteLine(IBufferWriter<byte> destination, PersistedRecord record) => Write(destination, record, newline: true);

    /// <summary>Writes the record's JSON object (no newline).</summary>
    /// <param name="destination">The buffer.</param>
    /// <param name="record">The record.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">An audit's registry list holds <see langword="null"/>, or the record type is unknown.</exception>
    /// <exception cref="InvalidOperationException">The payload is undefined or nested deeper than a JSON writer allows.</exception>
    public static int WriteObject(IBufferWriter<byte> destination, PersistedRecord record) => Write(destination, record, newline: false);

    /// <summary>
    /// Writes an event line from its fields, without a <see cref="PersistedEvent"/>: the bytes
    /// <see cref="WriteLine"/> writes for <c>new PersistedEvent(systemId, address, eventType, payload, timestamp)</c>
    /// (the same code writes both; a payload that is <see langword="null"/> or undefined is <c>{}</c>, as there).
    /// </summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static int WriteEventLine(IBufferWriter<byte> destination, string systemId, ActorAddress? address, string eventType, JsonElement? payload, double timestamp)
    {
        JsonElement? given = payload is { ValueKind: not JsonValueKind.Undefined } ? payload : null;
        if (address is { } a)
        {
            return WriteEvent(destination, systemId, a, eventType, null, given, timestamp, newline: true);
        }

        JsonElement element = given ?? EmptyObject;
        var cursor = new Cursor(destination, Compact.FixedBytes + (3 * systemId.Length));
        WriteMessage(ref cursor, Compact, Compact.EventHead, systemId, Compact.ActorAddressName, address, Compact.EventTypeName, eventType, null, element, timestamp);
        cursor.Write("}\n"u8);
        return cursor.Commit();
    }

    /// <summary>
    /// Whether <paramref name="raw"/>, the text of a parsed JSON value, is byte-for-byte what
    /// <see cref="JsonElement.WriteTo"/> writes for it with this writer's escaper.
    /// </summary>
    /// <param name="raw">The value's UTF-8 text.</param>
    /// <returns><see langword="true"/> when the text can be copied as it is.</returns>
    public static bool IsWrittenAsIs(ReadOnlySpan<byte> raw)
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

        if (raw.IndexOf((byte)'\\') >= 0 || !Utf8.IsValid(raw))
        {
            return false;
        }

        // Without backslashes every quote starts or ends a string. Outside strings only the
        // characters of punctuation, numbers and literals may appear (no whitespace, no comments);
        // inside, a parsed string holds no raw control character, so nothing the escaper escapes.
        bool inString = false;
        while (true)
        {
            int quote = raw.IndexOf((byte)'"');
            ReadOnlySpan<byte> segment = quote < 0 ? raw : raw[..quote];
            if (!inString && segment.ContainsAnyExcept(TokenBytes))
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

    /// <summary>
    /// Writes the record's JSON object indented as an indented <see cref="Utf8JsonWriter"/> with the
    /// indentation's options writes it as a value at the indentation's depth (for listings: the same
    /// bytes as <see cref="PersistedRecordSerializer.WriteObject"/> through that writer).
    /// </summary>
    internal static int WriteIndented(IBufferWriter<byte> destination, PersistedRecord record, JsonIndentation indentation, int depth)
        => Write(destination, record, indentation.RecordLayout(depth), newline: false);

    private static int Write(IBufferWriter<byte> destination, PersistedRecord record, bool newline) => Write(destination, record, Compact, newline);

    private static int Write(IBufferWriter<byte> destination, PersistedRecord record, Layout layout, bool newline)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(record);
        if (ReferenceEquals(layout, Compact) && record is PersistedEvent { ActorAddress: { } address } actorEvent)
        {
            // Events are most records (a file line or a Redis entry): the fast path, same bytes.
            return WriteEvent(destination, actorEvent.SystemId, address, actorEvent.EventType, actorEvent, null, actorEvent.Timestamp, newline);
        }

        var cursor = new Cursor(destination, layout.FixedBytes + (3 * record.SystemId.Length));
        switch (record)
        {
            case PersistedEvent e:
                WriteMessage(ref cursor, layout, layout.EventHead, e.SystemId, layout.ActorAddressName, e.ActorAddress, layout.EventTypeName, e.EventType, e, default, e.Timestamp);
                break;
            case PersistedDeadLetter d:
                WriteMessage(ref cursor, layout, layout.DeadLetterHead, d.SystemId, layout.TargetName, d.Target, layout.MessageTypeName, d.MessageType, d, default, d.Timestamp);
                cursor.Write(layout.ExpectsReplyName);
                cursor.Write(d.ExpectsReply ? "true"u8 : "false"u8);
                break;
            case PersistedAudit a:
                WriteAudit(ref cursor, layout, a);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }

        cursor.Write(layout.End);
        if (newline)
        {
            cursor.Write("\n"u8);
        }

        return cursor.Commit();
    }

    // A compact event with an address: the bytes before the actor id and between it and the payload
    // depend only on the ids and the event type, which repeat from event to event, so they are written
    // once per change (this thread's EventLineParts) and then copied. The payload is the record's
    // (stored text or element), else payload; neither: {} (what PersistedEvent stands in for none).
    private static int WriteEvent(IBufferWriter<byte> destination, string systemId, ActorAddress address, string eventType, PersistedRecord? record, JsonElement? payload, double timestamp, bool newline)
    {
        EventLineParts parts = t_eventLineParts ??= new EventLineParts();
        parts.Update(systemId, address.System);
        byte[] middle = parts.Middle(eventType);
        var cursor = new Cursor(destination, parts.Prefix.Length + middle.Length + 64);
        cursor.Write(parts.Prefix);
        WriteInteger(ref cursor, address.Id);
        cursor.Write(middle);
        if (record is not null || payload is not null)
        {
            WritePayload(ref cursor, Compact, record, payload.GetValueOrDefault());
        }
        else
        {
            cursor.Write("{}"u8);
        }

        cursor.Write(Compact.TimestampName);
        WriteDouble(ref cursor, timestamp);
        cursor.Write(newline ? "}\n"u8 : "}"u8);
        return cursor.Commit();
    }

    // Events and dead letters share their first five fields: an address, a type name, the payload, the time.
    private static void WriteMessage(ref Cursor cursor, Layout layout, byte[] head, string systemId, byte[] addressName, ActorAddress? address, byte[] typeName, string type, PersistedRecord? record, JsonElement payload, double timestamp)
    {
        cursor.Write(head);
        WriteString(ref cursor, systemId);
        cursor.Write(addressName);
        if (address is { } a)
        {
            // The object form is what the Python original writes and reads.
            cursor.Write(layout.AddressHead);
            WriteString(ref cursor, a.System);
            cursor.Write(layout.AddressActorIdName);
            WriteInteger(ref cursor, a.Id);
            cursor.Write(layout.AddressEnd);
        }
        else
        {
            cursor.Write("null"u8);
        }

        cursor.Write(typeName);
        WriteString(ref cursor, type);
        cursor.Write(layout.PayloadName);
        WritePayload(ref cursor, layout, record, payload);
        cursor.Write(layout.TimestampName);
        WriteDouble(ref cursor, timestamp);
    }

    private static void WriteAudit(ref Cursor cursor, Layout layout, PersistedAudit audit)
    {
        cursor.Write(layout.AuditHead);
        WriteString(ref cursor, audit.SystemId);
        cursor.Write(layout.TimestampName);
        WriteDouble(ref cursor, audit.Timestamp);
        ReadOnlySpan<long> counts = [audit.TotalActors, audit.AliveActors, audit.StoppingActors, audit.RestartingActors, audit.RegistrySize];
        for (int i = 0; i < counts.Length; i++)
        {
            cursor.Write(layout.AuditCountNames[i]);
            WriteInteger(ref cursor, counts[i]);
        }

        WriteStrings(ref cursor, layout, layout.RegistryOrphansName, audit.RegistryOrphans);
        WriteStrings(ref cursor, layout, layout.RegistryDeadName, audit.RegistryDead);
        cursor.Write(layout.DeadLettersCountName);
        WriteInteger(ref cursor, audit.DeadLettersCount);
    }

    private static void WriteStrings(ref Cursor cursor, Layout layout, byte[] name, IReadOnlyList<string> values)
    {
        cursor.Write(name);
        if (values.Count == 0)
        {
            cursor.Write("[]"u8);
            return;
        }

        cursor.Write(layout.ListStart);
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                cursor.Write(layout.ListSeparator);
            }

            WriteString(ref cursor, values[i] ?? throw new ArgumentException("An audit record's registry lists must not contain null."));
        }

        cursor.Write(layout.ListEnd);
    }

    /// <summary>A .NET string as a JSON string of its UTF-8 (lone surrogates become U+FFFD, as the serializer writes them).</summary>
    private static void WriteString(ref Cursor cursor, string value)
    {
        Span<byte> span = cursor.Reserve((3 * value.Length) + 2);

        // Mostly ASCII (ids, type names): one vectorised pass.
        int length = Ascii.FromUtf16(value, span[1..], out int ascii) == OperationStatus.Done
            ? ascii
            : Encoding.UTF8.GetBytes(value, span[1..]);
        Span<byte> utf8 = span.Slice(1, length);
        if (!utf8.ContainsAny(EscapedBytes))
        {
            span[0] = (byte)'"';
            span[length + 1] = (byte)'"';
            cursor.Advance(length + 2);
            return;
        }

        // Needs escaping (rare): the writer escapes it, from a copy, since it writes where the bytes are.
        byte[] copy = utf8.ToArray();
        Utf8JsonWriter writer = cursor.ValueWriter();
        writer.WriteStringValue(copy);
        writer.Flush();
    }

    // A record read from a store keeps its payload's text (StoredRecords): it is copied, or written
    // token by token from that text, without parsing it into an element first. Indented, the compact
    // text is indented as the value after the payload's name. Without a record (an event line written
    // from its fields) the payload is the element given.
    private static void WritePayload(ref Cursor cursor, Layout layout, PersistedRecord? record, JsonElement element)
    {
        ReadOnlySpan<byte> raw = record is null ? default : StoredRecords.StoredPayloadUtf8(record);
        if (raw.IsEmpty)
        {
            JsonElement payload = record switch
            {
                PersistedEvent e => e.Payload,
                PersistedDeadLetter d => d.Payload,
                _ => element,
            };
            if (payload.ValueKind != JsonValueKind.Undefined)
            {
                raw = JsonMarshal.GetRawUtf8Value(payload);
            }
        }

        if (!raw.IsEmpty)
        {
            // A payload nested too deep for the writer needs at least this many brackets; let the writer reject it.
            bool maybeTooDeep = raw.Length >= 2 * (WriterMaxDepth - 1)
                && raw.Count((byte)'{') + raw.Count((byte)'[') >= WriterMaxDepth - 1;
            if (!maybeTooDeep && IsWrittenAsIs(raw))
            {
                if (layout.Indentation is { } indentation)
                {
                    cursor.Added(indentation.Write(raw, cursor.Destination(), layout.Depth + 1));
                }
                else
                {
                    cursor.Write(raw);
                }

                return;
            }
        }

        if (layout.Indentation is { } indented)
        {
            ArrayBufferWriter<byte> compact = t_payloadText ??= new ArrayBufferWriter<byte>(256);
            compact.ResetWrittenCount();
            Utf8JsonWriter payloadWriter = t_payloadWriter ??= new Utf8JsonWriter(compact, ValueOptions);
            payloadWriter.Reset(compact);
            WritePayloadValue(payloadWriter, record, element);
            payloadWriter.Flush();
            cursor.Added(indented.Write(compact.WrittenSpan, cursor.Destination(), layout.Depth + 1));
            return;
        }

        Utf8JsonWriter writer = cursor.ValueWriter();
        WritePayloadValue(writer, record, element);
        writer.Flush();
    }

    private static void WritePayloadValue(Utf8JsonWriter writer, PersistedRecord? record, JsonElement element)
    {
        if (record is not null)
        {
            StoredPayloadWriter.Write(writer, record);
        }
        else
        {
            element.WriteTo(writer);
        }
    }

    private static void WriteInteger(ref Cursor cursor, long value)
    {
        Utf8Formatter.TryFormat(value, cursor.Reserve(20), out int written);
        cursor.Advance(written);
    }

    // The format Utf8JsonWriter.WriteNumber(double) uses: shortest round-trip, invariant.
    private static void WriteDouble(ref Cursor cursor, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("A JSON number must be finite.", nameof(value));
        }

        cursor.Advance(ShortestDoubleFormatter.Format(value, cursor.Reserve(32)));
    }

    private static JsonElement ParseEmptyObject()
    {
        using JsonDocument document = JsonDocument.Parse("{}"u8.ToArray());
        return document.RootElement.Clone();
    }

    private static byte[] AttentionBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0; b <= 0xff; b++)
        {
            if (b <= 0x20 || b == '\\' || b == '/' || b >= 0x80)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }

    /// <summary>
    /// Writes into one span of the destination and advances it once, except around the rare values
    /// a <see cref="Utf8JsonWriter"/> writes: one <see cref="IBufferWriter{T}.GetSpan"/> per record
    /// in the common case, whatever the buffer.
    /// </summary>
    private ref struct Cursor
    {
        private readonly IBufferWriter<byte> _destination;
        private Span<byte> _span;
        private int _at;
        private int _committed;
        private Utf8JsonWriter? _writer;

        public Cursor(IBufferWriter<byte> destination, int expected)
        {
            _destination = destination;
            _span = destination.GetSpan(expected);
        }

        public Span<byte> Reserve(int size)
        {
            if (_span.Length - _at < size)
            {
                Flush();
                _span = _destination.GetSpan(size);
            }

            return _span[_at..];
        }

        public void Advance(int count) => _at += count;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            _at += bytes.Length;
        }

        /// <summary>This thread's value writer over the destination, after what the cursor wrote; the cursor continues after what it writes.</summary>
        public Utf8JsonWriter ValueWriter()
        {
            Flush();
            _span = default;
            Utf8JsonWriter writer = t_valueWriter ??= new Utf8JsonWriter(_destination, ValueOptions);
            writer.Reset(_destination);
            _writer = writer;
            return writer;
        }

        /// <summary>The destination, after what the cursor wrote, for a caller that writes to it and says how much (<see cref="Added"/>).</summary>
        public IBufferWriter<byte> Destination()
        {
            Flush();
            _span = default;
            return _destination;
        }

        /// <summary>Counts bytes a caller wrote to (and advanced) the <see cref="Destination"/>.</summary>
        public void Added(int count) => _committed += count;

        /// <summary>Advances the destination over what was written; returns the record's size so far.</summary>
        public int Commit()
        {
            Flush();
            return _committed;
        }

        private void Flush()
        {
            if (_writer is { } writer)
            {
                _committed += checked((int)writer.BytesCommitted);
                _writer = null;
            }

            if (_at > 0)
            {
                _destination.Advance(_at);
                _committed += _at;
                _span = _span[_at..];
                _at = 0;
            }
        }
    }

    /// <summary>
    /// The constant runs of an event line for the ids this thread wrote last and its last few event types: what
    /// comes before the actor id (<c>{"kind":"event","system_id":…,"actor_address":{"system":…,"actor_id":</c>)
    /// and what comes between it and the payload (<c>},"event_type":…,"payload":</c>), written by
    /// the general code, so the bytes are the same whichever path writes a line.
    /// </summary>
    private sealed class EventLineParts
    {
        // Lifecycle events come in a few types (started, stopped, restarted, crashed): one middle each.
        private const int Types = 4;

        private readonly ArrayBufferWriter<byte> _scratch = new(256);
        private readonly string?[] _eventTypes = new string?[Types];
        private readonly byte[][] _middles = new byte[Types][];
        private string? _systemId;
        private string? _addressSystem;
        private int _replace;

        public byte[] Prefix { get; private set; } = [];

        public void Update(string systemId, string addressSystem)
        {
            // The strings are usually the same objects as last time (a system's id).
            if (Same(_systemId, systemId) && Same(_addressSystem, addressSystem))
            {
                return;
            }

            _scratch.ResetWrittenCount();
            var cursor = new Cursor(_scratch, 128);
            cursor.Write(Compact.EventHead);
            WriteString(ref cursor, systemId);
            cursor.Write(Compact.ActorAddressName);
            cursor.Write(Compact.AddressHead);
            WriteString(ref cursor, addressSystem);
            cursor.Write(Compact.AddressActorIdName);
            cursor.Commit();
            Prefix = _scratch.WrittenSpan.ToArray();
            _systemId = systemId;
            _addressSystem = addressSystem;
        }

        public byte[] Middle(string eventType)
        {
            for (int i = 0; i < Types; i++)
            {
                if (ReferenceEquals(_eventTypes[i], eventType))
                {
                    return _middles[i];
                }
            }

            for (int i = 0; i < Types; i++)
            {
                if (string.Equals(_eventTypes[i], eventType, StringComparison.Ordinal))
                {
                    return _middles[i];
                }
            }

            _scratch.ResetWrittenCount();
            var cursor = new Cursor(_scratch, 128);
            cursor.Write(Compact.AddressEnd);
            cursor.Write(Compact.EventTypeName);
            WriteString(ref cursor, eventType);
            cursor.Write(Compact.PayloadName);
            cursor.Commit();
            byte[] middle = _scratch.WrittenSpan.ToArray();
            int slot = _replace;
            _replace = (slot + 1) % Types;
            _middles[slot] = middle;
            _eventTypes[slot] = eventType;
            return middle;
        }

        private static bool Same(string? known, string value) => ReferenceEquals(known, value) || string.Equals(known, value, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fixed bytes around a record's values: compact (a line) or indented at a depth, as an
    /// indented <see cref="Utf8JsonWriter"/> places them (a new line and the indentation before each
    /// member, <c>": "</c> after each name).
    /// </summary>
    internal sealed class Layout
    {
        public Layout(JsonIndentation? indentation, int depth)
        {
            Indentation = indentation;
            Depth = depth;
            string colon = indentation is null ? ":" : ": ";
            string Break(int level) => indentation is null ? string.Empty : indentation.BreakText(depth + level);
            string Member(string name) => Break(1) + Q + name + Q + colon;
            byte[] Name(string name) => Bytes("," + Member(name));
            byte[] Head(string kind) => Bytes("{" + Member(RecordFieldNames.Kind) + Q + kind + Q + "," + Member(RecordFieldNames.SystemId));

            EventHead = Head(PersistedRecordKinds.Event);
            AuditHead = Head(PersistedRecordKinds.Audit);
            DeadLetterHead = Head(PersistedRecordKinds.DeadLetter);
            ActorAddressName = Name(RecordFieldNames.ActorAddress);
            TargetName = Name(RecordFieldNames.Target);
            EventTypeName = Name(RecordFieldNames.EventType);
            MessageTypeName = Name(RecordFieldNames.MessageType);
            PayloadName = Name(RecordFieldNames.Payload);
            TimestampName = Name(RecordFieldNames.Timestamp);
            ExpectsReplyName = Name(RecordFieldNames.ExpectsReply);
            AuditCountNames =
            [
                Name(RecordFieldNames.TotalActors),
                Name(RecordFieldNames.AliveActors),
                Name(RecordFieldNames.StoppingActors),
                Name(RecordFieldNames.RestartingActors),
                Name(RecordFieldNames.RegistrySize),
            ];
            RegistryOrphansName = Name(RecordFieldNames.RegistryOrphans);
            RegistryDeadName = Name(RecordFieldNames.RegistryDead);
            DeadLettersCountName = Name(RecordFieldNames.DeadLettersCount);

            // An address is an object one level deeper; a registry list's items too.
            AddressHead = Bytes("{" + Break(2) + Q + RecordFieldNames.AddressSystem + Q + colon);
            AddressActorIdName = Bytes("," + Break(2) + Q + RecordFieldNames.AddressActorId + Q + colon);
            AddressEnd = Bytes(Break(1) + "}");
            ListStart = Bytes("[" + Break(2));
            ListSeparator = Bytes("," + Break(2));
            ListEnd = Bytes(Break(1) + "]");
            End = Bytes(Break(0) + "}");

            // The longest constant parts of one record, for the first reservation.
            FixedBytes = Math.Max(EventHead.Length, DeadLetterHead.Length) + Math.Max(ActorAddressName.Length, TargetName.Length)
                + AddressHead.Length + AddressActorIdName.Length + AddressEnd.Length + Math.Max(EventTypeName.Length, MessageTypeName.Length)
                + PayloadName.Length + TimestampName.Length + ExpectsReplyName.Length + End.Length + 128;
        }

        public JsonIndentation? Indentation { get; }

        public int Depth { get; }

        public int FixedBytes { get; }

        public byte[] EventHead { get; }

        public byte[] AuditHead { get; }

        public byte[] DeadLetterHead { get; }

        public byte[] ActorAddressName { get; }

        public byte[] TargetName { get; }

        public byte[] EventTypeName { get; }

        public byte[] MessageTypeName { get; }

        public byte[] PayloadName { get; }

        public byte[] TimestampName { get; }

        public byte[] ExpectsReplyName { get; }

        /// <summary>An audit's counts, in record order after its timestamp.</summary>
        public byte[][] AuditCountNames { get; }

        public byte[] RegistryOrphansName { get; }

        public byte[] RegistryDeadName { get; }

        public byte[] DeadLettersCountName { get; }

        public byte[] AddressHead { get; }

        public byte[] AddressActorIdName { get; }

        public byte[] AddressEnd { get; }

        public byte[] ListStart { get; }

        public byte[] ListSeparator { get; }

        public byte[] ListEnd { get; }

        public byte[] End { get; }

        private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
    }
}
