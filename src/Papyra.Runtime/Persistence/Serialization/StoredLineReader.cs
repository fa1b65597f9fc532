using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Validates and reads a stored line in one pass of a <see cref="Utf8JsonReader"/>, for streaming
/// reads: the same verdict as <see cref="PersistedRecordReader.Validate(ReadOnlySpan{byte}, out PersistedRecordKind, out double)"/>,
/// plus where the fields a record is built from lie in the line, so that a line the read does not
/// want costs no allocation and one it wants costs no JSON document (the payload is kept as its
/// text, <see cref="StoredRecords"/>). System ids and type names repeat from line to line and are
/// read once per instance (<see cref="Utf8Strings"/>). Lines of an unusual shape (escaped field
/// names, non-finite literals, audits, addresses other than <c>{"system","actor_id"}</c> objects and
/// <c>system:id</c> strings) are read by <see cref="PersistedRecordReader"/>, as before.
/// One instance per read: it is not thread-safe.
/// </summary>
internal sealed partial class StoredLineReader(int maxDepth)
{
    private readonly JsonReaderOptions _options = new() { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    // A payload is read alone by the canonical match: one level less deep than inside its line.
    private readonly JsonReaderOptions _payloadOptions = new() { MaxDepth = Math.Max(1, maxDepth - 1), CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    private readonly Utf8Strings _strings = new();

    // The last system id found valid: the same string object is not checked again.
    private string? _validSystem;

    // The type filter of the current read, as UTF-8.
    private string? _typeText;
    private byte[] _typeUtf8 = [];

    /// <summary>Validates a line (without its newline) and finds its fields.</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="knownAscii">Whether the caller knows the line is ASCII.</param>
    /// <param name="fields">The kind, timestamp and field locations, when valid.</param>
    /// <returns><see cref="RecordLineProblem.None"/> for a valid record, otherwise what is wrong.</returns>
    public RecordLineProblem Parse(ReadOnlySpan<byte> line, bool knownAscii, out LineFields fields)
    {
        fields = default;
        if (knownAscii || Ascii.IsValid(line) || (Utf8.IsValid(line) && !line.StartsWith("\uFEFF"u8)))
        {
            if (TryParseCanonical(line, ref fields))
            {
                return RecordLineProblem.None;
            }

            fields = default;
            if (TryParseFast(line, ref fields) is { } verdict)
            {
                return verdict;
            }
        }

        // Not ASCII, or not plain JSON (blank, damaged, NaN literals, escaped names, too deep): the
        // general validator gives the exact verdict, and a valid line is then read the general way.
        RecordLineProblem problem = PersistedRecordReader.Validate(line, out PersistedRecordKind kind, out double timestamp, wantTimestamp: true, knownAscii: false, maxDepth);
        fields = new LineFields { Kind = kind, Timestamp = timestamp, General = true };
        return problem;
    }

    /// <summary>Builds the record of a line <see cref="Parse"/> found valid.</summary>
    /// <param name="line">The same bytes.</param>
    /// <param name="fields">What <see cref="Parse"/> found.</param>
    /// <returns>The record.</returns>
    public PersistedRecord Build(ReadOnlySpan<byte> line, in LineFields fields)
    {
        if (fields.General || fields.Kind == PersistedRecordKind.Audit)
        {
            return PersistedRecordReader.ReadValidated(line, fields.Kind, fields.Timestamp, maxDepth);
        }

        bool isEvent = fields.Kind == PersistedRecordKind.Event;
        if (!TryBuildAddress(line, isEvent ? fields.ActorAddress : fields.Target, out ActorAddress? address))
        {
            return PersistedRecordReader.ReadValidated(line, fields.Kind, fields.Timestamp, maxDepth);
        }

        string systemId = fields.SystemId.IsSet ? _strings.Get(line.Slice(fields.SystemId.Start, fields.SystemId.Length)) : PersistedRecordReader.DefaultSystemId;
        Span typeSpan = isEvent ? fields.EventType : fields.MessageType;
        string type = typeSpan.IsSet ? _strings.Get(line.Slice(typeSpan.Start, typeSpan.Length)) : string.Empty;
        byte[]? payload = fields.Payload.IsSet ? line.Slice(fields.Payload.Start, fields.Payload.Length).ToArray() : null;
        return isEvent
            ? StoredRecords.Event(systemId, address, type, payload, fields.Timestamp)
            : StoredRecords.DeadLetter(systemId, address, type, payload, fields.Timestamp, fields.ExpectsReply);
    }

    /// <summary>
    /// Whether a valid line may match the request's actor and type filters, decided from the
    /// line's bytes before its record is built: <see langword="false"/> only when it certainly does not
    /// (most lines of a filtered listing then cost no allocation); the record still goes through
    /// <see cref="PersistenceReadRequest.Matches"/>.
    /// </summary>
    public bool MayMatch(ReadOnlySpan<byte> line, in LineFields fields, PersistenceReadRequest request)
    {
        if (fields.General || fields.Kind == PersistedRecordKind.Audit)
        {
            return true;
        }

        bool isEvent = fields.Kind == PersistedRecordKind.Event;
        if (request.Type is { } type)
        {
            if (!ReferenceEquals(type, _typeText))
            {
                _typeUtf8 = Encoding.UTF8.GetBytes(type);
                _typeText = type;
            }

            Span typeSpan = isEvent ? fields.EventType : fields.MessageType;
            ReadOnlySpan<byte> text = typeSpan.IsSet ? line.Slice(typeSpan.Start, typeSpan.Length) : default;
            if (!text.SequenceEqual(_typeUtf8))
            {
                return false;
            }
        }

        if (request.Actor is { } actor)
        {
            AddressFields address = isEvent ? fields.ActorAddress : fields.Target;
            switch (address.Shape)
            {
                case AddressShape.Absent:
                    return false; // no address: never the actor asked for
                case AddressShape.Object:
                    if (!address.HasId || address.Id != actor.Id || !address.System.IsSet)
                    {
                        return false;
                    }

                    ReadOnlySpan<byte> system = line.Slice(address.System.Start, address.System.Length);
                    if (system.Length != actor.System.Length || !Ascii.Equals(system, actor.System))
                    {
                        // Not the same ASCII text; a non-ASCII system id is compared as a string.
                        return !Ascii.IsValid(system) && string.Equals(Encoding.UTF8.GetString(system), actor.System, StringComparison.Ordinal);
                    }

                    break;
            }
        }

        return true;
    }

    // null: let the general validator decide (it repeats the work only for lines of unusual shape).
    // One Read() loop over every token, like the validator's: the values of the fields a record is
    // built from are noted where they lie; an address object is read as its tokens pass.
    internal RecordLineProblem? TryParseFast(ReadOnlySpan<byte> line, ref LineFields fields)
    {
        var reader = new Utf8JsonReader(line, _options);
        bool hasKind = false, kindKnown = false, hasTimestamp = false, timestampValid = false;
        Field open = Field.None; // the field whose object or array value is being read
        int openStart = 0;
        AddressFields address = default;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read())
            {
                int depth = reader.CurrentDepth;
                if (depth != 1)
                {
                    if (depth == 2 && open >= Field.ActorAddress && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        ReadAddressField(ref reader, ref address);
                    }

                    continue; // inside a value, or the closing brace
                }

                JsonTokenType token = reader.TokenType;
                if (token != JsonTokenType.PropertyName)
                {
                    // The end of an object or array value.
                    if (open != Field.None)
                    {
                        var span = new Span(openStart, (int)reader.BytesConsumed - openStart);
                        switch (open)
                        {
                            case Field.Payload:
                                fields.Payload = span;
                                break;
                            case Field.ActorAddress:
                                fields.ActorAddress = address;
                                break;
                            default:
                                fields.Target = address;
                                break;
                        }

                        open = Field.None;
                    }

                    continue;
                }

                if (reader.ValueIsEscaped)
                {
                    return null;
                }

                ReadOnlySpan<byte> name = reader.ValueSpan;
                reader.Read();
                token = reader.TokenType;
                bool container = token is JsonTokenType.StartObject or JsonTokenType.StartArray;
                switch (name.Length)
                {
                    case 4 when name.SequenceEqual("kind"u8):
                        hasKind = token == JsonTokenType.String;
                        kindKnown = hasKind && TryParseKind(ref reader, out fields.Kind);
                        break;
                    case 9 when name.SequenceEqual("timestamp"u8):
                        hasTimestamp = true;
                        timestampValid = token == JsonTokenType.Number && reader.TryGetDouble(out fields.Timestamp) && double.IsFinite(fields.Timestamp);
                        break;
                    case 9 when name.SequenceEqual("system_id"u8):
                        if (!TryString(ref reader, out fields.SystemId))
                        {
                            return null;
                        }

                        break;
                    case 7 when name.SequenceEqual("payload"u8):
                        if (container)
                        {
                            open = Field.Payload;
                            openStart = (int)reader.TokenStartIndex;
                        }
                        else
                        {
                            fields.Payload = new Span((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex));
                        }

                        break;
                    case 13 when name.SequenceEqual("actor_address"u8):
                        address = AddressFields.Of(ref reader);
                        if (container)
                        {
                            open = Field.ActorAddress;
                        }
                        else
                        {
                            fields.ActorAddress = address;
                        }

                        break;
                    case 6 when name.SequenceEqual("target"u8):
                        address = AddressFields.Of(ref reader);
                        if (container)
                        {
                            open = Field.Target;
                        }
                        else
                        {
                            fields.Target = address;
                        }

                        break;
                    case 10 when name.SequenceEqual("event_type"u8):
                        if (!TryString(ref reader, out fields.EventType))
                        {
                            return null;
                        }

                        break;
                    case 12 when name.SequenceEqual("message_type"u8):
                        if (!TryString(ref reader, out fields.MessageType))
                        {
                            return null;
                        }

                        break;
                    case 13 when name.SequenceEqual("expects_reply"u8):
                        fields.ExpectsReply = token == JsonTokenType.True;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return PersistedRecordReader.Verdict(hasKind, kindKnown, hasTimestamp, timestampValid);
    }

    // A field of an address object: "system" (a string) and "actor_id" (an integer). Anything else
    // (the Python runtime's {"_address":{…}} dump, a string id, escapes) is read the general way.
    private static void ReadAddressField(ref Utf8JsonReader reader, ref AddressFields address)
    {
        if (reader.ValueIsEscaped || address.Shape != AddressShape.Object)
        {
            address.Shape = AddressShape.General;
            return;
        }

        if (reader.ValueSpan.SequenceEqual("system"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                if (reader.ValueIsEscaped)
                {
                    address.Shape = AddressShape.General;
                    return;
                }

                address.System = new Span((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            }
            else
            {
                address.System = default; // not a string: unknown (a container's tokens pass by deeper)
            }
        }
        else if (reader.ValueSpan.SequenceEqual("actor_id"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long id))
            {
                address.Id = id;
                address.HasId = true;
            }
            else
            {
                address.Shape = AddressShape.General;
            }
        }
        else
        {
            address.Shape = AddressShape.General;
        }
    }

    // A string's unescaped text; another type reads as absent (the field's default). An escaped
    // string is left to the general reader (false).
    private static bool TryString(ref Utf8JsonReader reader, out Span span)
    {
        span = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return true;
        }

        if (reader.ValueIsEscaped)
        {
            return false;
        }

        span = new Span((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        return true;
    }

    private static bool TryParseKind(ref Utf8JsonReader reader, out PersistedRecordKind kind)
    {
        bool escaped = reader.ValueIsEscaped;
        ReadOnlySpan<byte> text = escaped ? default : reader.ValueSpan;
        if (escaped ? reader.ValueTextEquals("event"u8) : text.SequenceEqual("event"u8))
        {
            kind = PersistedRecordKind.Event;
            return true;
        }

        if (escaped ? reader.ValueTextEquals("dead_letter"u8) : text.SequenceEqual("dead_letter"u8))
        {
            kind = PersistedRecordKind.DeadLetter;
            return true;
        }

        if (escaped ? reader.ValueTextEquals("audit"u8) : text.SequenceEqual("audit"u8))
        {
            kind = PersistedRecordKind.Audit;
            return true;
        }

        kind = default;
        return false;
    }

    // The address of a record from what the pass noted; false: read the line the general way.
    private bool TryBuildAddress(ReadOnlySpan<byte> line, in AddressFields fields, out ActorAddress? address)
    {
        address = null;
        switch (fields.Shape)
        {
            case AddressShape.Object:
                string? system = fields.System.IsSet ? _strings.Get(line.Slice(fields.System.Start, fields.System.Length)) : null;
                if (fields.HasId && fields.Id >= 1 && system is not null && (ReferenceEquals(system, _validSystem) || ActorAddress.IsValidSystemId(system)))
                {
                    _validSystem = system;
                    address = StoredRecords.Address(system, fields.Id);
                }

                return true;
            case AddressShape.String:
                if (ActorAddress.TryParse(Encoding.UTF8.GetString(line.Slice(fields.System.Start, fields.System.Length)), out ActorAddress parsed))
                {
                    address = parsed;
                    return true;
                }

                return false; // "local://1" and unreadable text: the general way decides
            case AddressShape.General:
                return false;
            default:
                return true; // absent, null, or a field of the wrong type: unknown
        }
    }

    /// <summary>Where a field's text lies in the line.</summary>
    internal readonly record struct Span(int Start, int Length)
    {
        // A value never starts at offset 0: the line starts with the object's brace.
        public bool IsSet => Start > 0;
    }

    private enum Field
    {
        None,
        Payload,
        ActorAddress,
        Target,
    }

    internal enum AddressShape
    {
        Absent,
        Object,
        String,
        General,
    }

    /// <summary>What the pass found of an address value.</summary>
    internal struct AddressFields
    {
        public AddressShape Shape;
        public Span System;
        public long Id;
        public bool HasId;

        // The address value's first token: an object is read field by field as the pass goes on.
        public static AddressFields Of(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.StartObject => new AddressFields { Shape = AddressShape.Object },
            JsonTokenType.String when reader.ValueIsEscaped => new AddressFields { Shape = AddressShape.General },
            JsonTokenType.String => new AddressFields { Shape = AddressShape.String, System = new Span((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length) },
            _ => default, // null, an array, a number, a boolean: unknown
        };
    }

    /// <summary>What one pass over a line found.</summary>
    internal struct LineFields
    {
        public PersistedRecordKind Kind;
        public double Timestamp;
        public bool General;
        public bool ExpectsReply;
        public Span SystemId;
        public Span EventType;
        public Span MessageType;
        public AddressFields ActorAddress;
        public AddressFields Target;
        public Span Payload;
    }

    /// <summary>
    /// Strings read from UTF-8 once and handed out again while they repeat: a small direct-mapped
    /// table of short strings, so memory stays bounded whatever the store holds.
    /// </summary>
    private sealed class Utf8Strings
    {
        private const int Slots = 64;
        private const int MaxBytes = 64;
        private readonly byte[]?[] _keys = new byte[Slots][];
        private readonly string[] _values = new string[Slots];

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty)
            {
                return string.Empty;
            }

            if (utf8.Length > MaxBytes)
            {
                return Encoding.UTF8.GetString(utf8);
            }

            int slot = ((utf8.Length * 31) + (utf8[0] * 7) + (utf8[^1] * 131) + utf8[utf8.Length >> 1]) & (Slots - 1);
            if (_keys[slot] is { } key && utf8.SequenceEqual(key))
            {
                return _values[slot];
            }

            string value = Encoding.UTF8.GetString(utf8);
            _keys[slot] = utf8.ToArray();
            _values[slot] = value;
            return value;
        }
    }
}
